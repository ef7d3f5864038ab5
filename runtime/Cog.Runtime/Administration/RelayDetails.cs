using Cog.Runtime.Relays;

namespace Cog.Runtime.Administration;

/// <summary>A relay with the relay groups it belongs to.</summary>
/// <param name="Relay">The relay (its token hash is never shown).</param>
/// <param name="Groups">Its relay groups, by name.</param>
public sealed record RelayDetails(RelayRecord Relay, IReadOnlyList<RelayGroup> Groups);
