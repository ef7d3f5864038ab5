using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cog.Api.Operations;

/// <summary>Readiness: every enabled bundle (the built-in one aside) has a relay online that announced its enabled
/// version. One that has none is <em>degraded</em>, naming the bundle versions: the server answers, but those
/// commands cannot run until a relay serves them (<see cref="RelayCoverage"/>).</summary>
sealed class RelaysHealthCheck(BundleRegistry bundles, RelayRegistry relays) : IHealthCheck
{
    /// <summary>The description of bundle versions no online relay serves.</summary>
    public static string Describe(IEnumerable<string> unserved) =>
        $"No relay online serves these enabled bundles, so their commands cannot run: {string.Join(", ", unserved)}.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var installed = await bundles.ListAsync(cancellationToken);
        var unserved = RelayCoverage.Unserved(installed, relays.Snapshot());
        return unserved.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(Describe(unserved));
    }
}
