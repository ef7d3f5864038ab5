namespace Cog.Runtime.Bundles;

/// <summary>A bundle: the un-versioned identity that versions, commands, permissions and relay-group assignments
/// hang off.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique; also the namespace of its permissions.</param>
/// <param name="InstalledAt">When its first version was installed.</param>
public sealed record Bundle(string Id, string Name, DateTimeOffset InstalledAt)
{
    /// <summary>The embedded bundle: it cannot be deleted, disabled or assigned to relay groups.</summary>
    public const string BuiltInName = "operable";
}
