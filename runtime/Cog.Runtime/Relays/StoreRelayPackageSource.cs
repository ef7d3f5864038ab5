using Cog.Runtime.Bundles;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Relays;

/// <summary>The <see cref="IRelayPackageSource"/> of the server: packages and assignments from the store. A package is
/// assigned to a relay when it is the enabled version of a bundle assigned to one of the relay's groups (never the
/// built-in bundle), as in the relay's published assignments.</summary>
/// <remarks>Thread-safe. The bytes are read from the store on each lookup; the stream is served from memory.</remarks>
public sealed class StoreRelayPackageSource : IRelayPackageSource
{
    readonly IStore _store;

    /// <summary>Creates the source over <paramref name="store"/>.</summary>
    public StoreRelayPackageSource(IStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public async ValueTask<RelayPackageLookup> FindAsync(string relayId, string bundle, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayId);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(version);
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return RelayPackageLookup.NotFound;
        var stored = await _store.Bundles.FindVersionAsync(found.Id, version, cancellationToken).ConfigureAwait(false);
        if (stored?.PackageDigest is not { } digest)
            return RelayPackageLookup.NotFound;
        if (!stored.Enabled || found.Name == Bundle.BuiltInName)
            return RelayPackageLookup.NotAssigned;
        var assigned = await _store.Relays.ListRelayBundlesAsync(relayId, cancellationToken).ConfigureAwait(false);
        if (!assigned.Contains(found.Id))
            return RelayPackageLookup.NotAssigned;
        var package = await _store.Bundles.GetPackageAsync(stored.Id, cancellationToken).ConfigureAwait(false);
        if (package is null || package.Length == 0)
            return RelayPackageLookup.NotFound;
        return RelayPackageLookup.Found(new RelayPackage(StoredPackages.FormatOf(package), digest, package.LongLength,
            _ => ValueTask.FromResult<Stream>(new MemoryStream(package, writable: false))));
    }
}
