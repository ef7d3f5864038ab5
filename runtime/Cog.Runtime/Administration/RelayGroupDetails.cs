using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Administration;

/// <summary>A relay group with its member relays and assigned bundles.</summary>
/// <param name="Group">The group.</param>
/// <param name="Relays">Its relays, by name.</param>
/// <param name="Bundles">The bundles assigned to it, by name.</param>
public sealed record RelayGroupDetails(RelayGroup Group, IReadOnlyList<RelayRecord> Relays, IReadOnlyList<Bundle> Bundles);
