namespace Cog.Language.Resolution;

/// <summary>Whose words an alias changes: one user's (only that user's pipelines) or the site's (everybody's).</summary>
public enum AliasVisibility
{
    /// <summary>One of the invoking user's aliases.</summary>
    User,

    /// <summary>A site alias.</summary>
    Site,
}

/// <summary>One alias a resolved stage was expanded from: its name and visibility. A user alias belongs to the user
/// whose pipeline it is; a site alias to nobody in particular (the audit log records who changed it).</summary>
/// <param name="Name">The alias name.</param>
/// <param name="Visibility">User or site.</param>
public sealed record AliasExpansion(string Name, AliasVisibility Visibility);
