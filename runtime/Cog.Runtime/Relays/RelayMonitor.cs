using System.Collections.Immutable;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>What a relay should serve now: the assignments the server publishes to it.</summary>
public interface IRelayAssignments
{
    /// <summary>The bundle versions <paramref name="relayId"/> should serve now, one per bundle.</summary>
    Task<ImmutableArray<BundleAssignment>> ComputeAssignmentsAsync(string relayId, CancellationToken cancellationToken);
}

/// <summary>Each relay's live report (<see cref="RelayRegistry"/>) compared with its assignments: what operators are
/// shown about a relay (<see cref="RelayHealth"/>).</summary>
/// <remarks>Thread-safe. Every lookup reads the assignments afresh, so a relay shown as serving a bundle version holds
/// the digest installed now.</remarks>
public sealed class RelayMonitor
{
    readonly RelayRegistry _live;
    readonly IRelayAssignments _assignments;

    /// <summary>Creates the monitor over <paramref name="live"/> and <paramref name="assignments"/>.</summary>
    public RelayMonitor(RelayRegistry live, IRelayAssignments assignments)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(assignments);
        _live = live;
        _assignments = assignments;
    }

    /// <summary>The relay <paramref name="relayId"/> compared with its assignments, or <see langword="null"/> when it
    /// never reported.</summary>
    public async Task<RelayHealth?> FindAsync(string relayId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayId);
        if (_live.Find(relayId) is not { } live)
            return null;
        var assigned = await _assignments.ComputeAssignmentsAsync(relayId, cancellationToken).ConfigureAwait(false);
        return RelayHealth.Compare(live, assigned);
    }
}
