using System.Collections.Immutable;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>What the server knows about one relay at one moment, for operators (<c>relay list</c>, the web
/// console).</summary>
/// <param name="RelayId">The relay's id.</param>
/// <param name="State">Online or offline, as its last applied status said.</param>
/// <param name="InstanceId">The relay process's instance id from its last applied status.</param>
/// <param name="RelayVersion">The relay software's version.</param>
/// <param name="Tags">The relay's tags.</param>
/// <param name="Capacity">How many invocations it runs at once.</param>
/// <param name="Load">How many it reported running.</param>
/// <param name="InFlight">How many invocations this server has sent it that have not ended yet.</param>
/// <param name="Bundles">The bundle versions of its last announcement of the current instance (empty when the current
/// instance has not announced yet).</param>
/// <param name="Failures">The assigned bundle versions it could not make ready, from the same announcement.</param>
/// <param name="StatusAt">When this server applied its last status (server clock).</param>
/// <param name="AnnouncedAt">When this server applied its last announcement, or <see langword="null"/>.</param>
/// <param name="Isolation">How the relay confines bundle code, from its last status; <see langword="null"/> for a relay
/// that does not report it.</param>
public sealed record RelaySnapshot(
    string RelayId,
    RelayState State,
    string InstanceId,
    string RelayVersion,
    ImmutableArray<string> Tags,
    int Capacity,
    int Load,
    int InFlight,
    ImmutableArray<AnnouncedBundle> Bundles,
    ImmutableArray<BundleFailure> Failures,
    DateTimeOffset StatusAt,
    DateTimeOffset? AnnouncedAt,
    ImmutableArray<RelayIsolationMechanism>? Isolation = null);
