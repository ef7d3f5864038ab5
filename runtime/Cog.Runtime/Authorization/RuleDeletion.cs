namespace Cog.Runtime.Authorization;

/// <summary>What deleting a rule did.</summary>
public enum RuleDeletion
{
    /// <summary>A site-only rule was deleted.</summary>
    Deleted,

    /// <summary>A rule from a bundle version was disabled and detached from the site version.</summary>
    Disabled,
}
