namespace Cog.Runtime.Relays;

/// <summary>Finds the bundle packages relays download (docs/protocol.md §7), and whether a package is assigned to the
/// relay asking for it.</summary>
/// <remarks>Implementations are thread-safe: the HTTP endpoint calls them concurrently.</remarks>
public interface IRelayPackageSource
{
    /// <summary>The package of <paramref name="bundle"/> <paramref name="version"/> as seen by the relay
    /// <paramref name="relayId"/>: found (and assigned to that relay), not assigned to it, or not found.</summary>
    ValueTask<RelayPackageLookup> FindAsync(string relayId, string bundle, string version, CancellationToken cancellationToken);
}
