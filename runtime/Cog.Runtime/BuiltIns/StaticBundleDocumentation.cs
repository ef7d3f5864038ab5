namespace Cog.Runtime.BuiltIns;

/// <summary>Documentation of a fixed set of bundles (tests, and a server without a store).</summary>
/// <param name="bundles">The bundles.</param>
public sealed class StaticBundleDocumentation(IEnumerable<BundleDocs> bundles) : IBundleDocumentation
{
    readonly IReadOnlyList<BundleDocs> _bundles = [.. bundles];

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<BundleDocs>> GetBundlesAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_bundles);
}
