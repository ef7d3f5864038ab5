using System.Diagnostics.Metrics;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Diagnostics;

/// <summary>The relay gauge of the <see cref="CogMetrics.MeterName"/> meter: <c>cog.relays.online</c>, how many relays
/// whose last status (or the broker's last will) this server applied says online, read from the
/// <see cref="RelayRegistry"/> whenever metrics are collected.</summary>
/// <remarks>Made once the registry exists (the server's composition); the meter factory owns the instrument.
/// Thread-safe.</remarks>
public sealed class RelayMetrics
{
    /// <summary>Creates the gauge on <paramref name="meterFactory"/>'s <see cref="CogMetrics.MeterName"/> meter.</summary>
    public RelayMetrics(IMeterFactory meterFactory, RelayRegistry relays)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(relays);
        meterFactory.Create(CogMetrics.MeterName).CreateObservableGauge("cog.relays.online",
            () => OnlineCount(relays), "{relay}", "Relays whose last status said online.");
    }

    /// <summary>How many relays in <paramref name="relays"/> are online now.</summary>
    public static int OnlineCount(RelayRegistry relays)
    {
        ArgumentNullException.ThrowIfNull(relays);
        return relays.Snapshot().Count(static r => r.State == RelayState.Online);
    }
}
