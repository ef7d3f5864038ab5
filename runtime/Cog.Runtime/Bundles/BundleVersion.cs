namespace Cog.Runtime.Bundles;

/// <summary>One installed version of a bundle; at most one version per bundle is enabled.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="BundleId">The bundle.</param>
/// <param name="Version">The manifest's version (unique per bundle).</param>
/// <param name="ManifestJson">The whole manifest, as JSON.</param>
/// <param name="Description">The manifest's description.</param>
/// <param name="PackageDigest">The SHA-256 digest of the package relays fetch, or <see langword="null"/> for a
/// version stored without a package (only the built-in bundle; a bare-manifest install has the manifest text as its
/// package); the bytes come from <see cref="IBundleStore.GetPackageAsync"/>.</param>
/// <param name="Enabled">Whether this is the bundle's enabled version.</param>
/// <param name="InstalledAt">When it was installed.</param>
/// <param name="Warnings">What the manifest was accepted with but should fix (as <c>cogctl bundle validate</c> shows them: <c>config.yaml:12:5: Duplicate key …</c>).</param>
public sealed record BundleVersion(
    string Id, string BundleId, string Version, string ManifestJson, string? Description, string? PackageDigest,
    bool Enabled, DateTimeOffset InstalledAt, IReadOnlyList<string> Warnings)
{
    /// <summary>Value equality, the warnings compared item by item (a record compares a list by reference).</summary>
    public bool Equals(BundleVersion? other) =>
        other is not null && Id == other.Id && BundleId == other.BundleId && Version == other.Version && ManifestJson == other.ManifestJson
        && Description == other.Description && PackageDigest == other.PackageDigest && Enabled == other.Enabled
        && InstalledAt == other.InstalledAt && Warnings.SequenceEqual(other.Warnings);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Version, InstalledAt);
}
