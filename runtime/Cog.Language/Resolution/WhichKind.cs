namespace Cog.Language.Resolution;

/// <summary>The kinds of thing a name can refer to, in order of precedence.</summary>
public enum WhichKind
{
    /// <summary>Neither an alias nor a command of any installed bundle.</summary>
    NotFound,

    /// <summary>One of the invoking user's aliases.</summary>
    UserAlias,

    /// <summary>A site alias.</summary>
    SiteAlias,

    /// <summary>A command of at least one installed bundle.</summary>
    Command,
}
