namespace Cog.Manifest.Packages;

/// <summary>Bounds a relay puts on a package before and while unpacking it (zip bomb protection).</summary>
/// <param name="MaxPackageBytes">The largest package file accepted, in bytes.</param>
/// <param name="MaxEntries">The most entries (files and folders) an archive may hold.</param>
/// <param name="MaxTotalBytes">The largest total size of the unpacked files, in bytes.</param>
public sealed record PackageLimits(long MaxPackageBytes, int MaxEntries, long MaxTotalBytes)
{
    /// <summary>256 MiB per package, 10,000 entries, 1 GiB unpacked.</summary>
    public static PackageLimits Default { get; } = new(256L * 1024 * 1024, 10_000, 1024L * 1024 * 1024);
}
