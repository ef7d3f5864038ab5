namespace Cog.Runtime.Identity;

/// <summary>A group of users; roles are granted to groups.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique.</param>
public sealed record Group(string Id, string Name)
{
    /// <summary>The bootstrap group.</summary>
    public const string AdminName = "cog-admin";
}
