namespace Cog.Runtime.BuiltIns;

/// <summary>What <c>help</c> reads: the documentation of every installed bundle.</summary>
/// <remarks>Implementations are thread-safe. The store-backed one reads each bundle's enabled version (or, for a
/// disabled bundle, its highest version) from <see cref="Bundles.BundleVersion.ManifestJson"/> with
/// <see cref="BundleDocs.FromManifestJson"/>.</remarks>
public interface IBundleDocumentation
{
    /// <summary>Every installed bundle, enabled or not.</summary>
    ValueTask<IReadOnlyList<BundleDocs>> GetBundlesAsync(CancellationToken cancellationToken);
}
