namespace Cog.Runtime.Identity;

/// <summary>A role: a named set of permissions, granted to groups.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique.</param>
public sealed record Role(string Id, string Name)
{
    /// <summary>The bootstrap role, holding every <c>operable</c> permission.</summary>
    public const string AdminName = "cog-admin";
}
