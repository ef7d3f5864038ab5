namespace Cog.Runtime.Identity;

/// <summary>A group of users (reference §4.1); roles are granted to groups.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique.</param>
public sealed record Group(string Id, string Name)
{
    /// <summary>The bootstrap group (reference §3.7).</summary>
    public const string AdminName = "cog-admin";
}
