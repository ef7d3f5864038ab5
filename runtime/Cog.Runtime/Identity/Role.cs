namespace Cog.Runtime.Identity;

/// <summary>A role: a named set of permissions, granted to groups (reference §4.1).</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique.</param>
public sealed record Role(string Id, string Name)
{
    /// <summary>The bootstrap role, holding every <c>operable</c> permission (reference §3.7).</summary>
    public const string AdminName = "cog-admin";
}
