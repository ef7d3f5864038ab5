using Cog.Contracts.Relays;
using Cog.Runtime.Bundles;

namespace Cog.Runtime.Relays;

/// <summary>Which enabled bundle versions no online relay serves: the commands of those bundles answer "no relay
/// available" until one does (what readiness reports as degraded).</summary>
public static class RelayCoverage
{
    /// <summary>Every enabled version in <paramref name="installed"/> (the built-in bundle aside: it runs in the
    /// server) that no relay in <paramref name="relays"/> both is online and has announced, as <c>name version</c>,
    /// ordered by name.</summary>
    public static IReadOnlyList<string> Unserved(IEnumerable<InstalledBundleVersions> installed, IEnumerable<RelaySnapshot> relays)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(relays);
        var served = relays.Where(static r => r.State == RelayState.Online)
            .SelectMany(static r => r.Bundles)
            .Select(static b => (b.Name, b.Version))
            .ToHashSet();
        return installed
            .Where(static b => b.Bundle.Name != Bundle.BuiltInName)
            .Select(static b => (b.Bundle.Name, Enabled: b.EnabledVersion))
            .Where(b => b.Enabled is not null && !served.Contains((b.Name, b.Enabled.Version)))
            .Select(static b => $"{b.Name} {b.Enabled!.Version}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
