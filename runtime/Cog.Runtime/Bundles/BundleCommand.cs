namespace Cog.Runtime.Bundles;

/// <summary>A command's un-versioned identity (rules belong to it).</summary>
/// <param name="Id">UUID string.</param>
/// <param name="BundleId">The bundle.</param>
/// <param name="BundleName">The bundle's name.</param>
/// <param name="Name">The command's name, unique in its bundle.</param>
public sealed record BundleCommand(string Id, string BundleId, string BundleName, string Name)
{
    /// <summary><c>bundle:command</c>.</summary>
    public string FullName => BundleName + ":" + Name;
}
