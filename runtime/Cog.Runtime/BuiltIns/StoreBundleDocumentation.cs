using Cog.Runtime.Storage;

namespace Cog.Runtime.BuiltIns;

/// <summary>The documentation of every installed bundle, read from the store: each bundle's enabled version, or for a
/// disabled bundle its most recently installed version (<see cref="IBundleDocumentation"/>'s contract).</summary>
/// <remarks>Reads the store on every call: <c>help</c> is rare, and this way it never shows a stale catalog.
/// Thread-safe.</remarks>
public sealed class StoreBundleDocumentation(IStore store) : IBundleDocumentation
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<BundleDocs>> GetBundlesAsync(CancellationToken cancellationToken)
    {
        var bundles = await store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false);
        var docs = new List<BundleDocs>(bundles.Count);
        foreach (var bundle in bundles)
        {
            var versions = await store.Bundles.ListVersionsAsync(bundle.Id, cancellationToken).ConfigureAwait(false);
            if (versions.Count == 0)
                continue;
            var shown = versions.FirstOrDefault(static v => v.Enabled) ?? versions[^1];
            if (BundleDocs.FromManifestJson(shown.ManifestJson, shown.Enabled) is { } bundleDocs)
                docs.Add(bundleDocs);
        }
        return docs;
    }
}
