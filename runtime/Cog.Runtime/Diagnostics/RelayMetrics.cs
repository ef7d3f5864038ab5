using System.Diagnostics.Metrics;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Diagnostics;

/// <summary>The relay gauge of the <see cref="CogMetrics.MeterName"/> meter: <c>cog.relays.online</c>, how many relays
/// the last status this server applied (a relay's own, or the broker's last will for it) says online, read from the
/// <see cref="RelayRegistry"/> whenever metrics are collected.</summary>
public static class RelayMetrics
{
    /// <summary>Creates the gauge over <paramref name="relays"/> on <paramref name="meterFactory"/>'s
    /// <see cref="CogMetrics.MeterName"/> meter (which owns it); called once, when the registry exists.</summary>
    public static void Observe(IMeterFactory meterFactory, RelayRegistry relays)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(relays);
        meterFactory.Create(CogMetrics.MeterName).CreateObservableGauge("cog.relays.online",
            () => OnlineCount(relays), "{relay}", "Relays whose last status says online.");
    }

    /// <summary>How many relays in <paramref name="relays"/> are online now.</summary>
    public static int OnlineCount(RelayRegistry relays)
    {
        ArgumentNullException.ThrowIfNull(relays);
        return relays.Snapshot().Count(static r => r.State == RelayState.Online);
    }
}
