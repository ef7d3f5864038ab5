namespace Cog.Contracts.Relays;

/// <summary>The topics under one relay's <c>cog/v1/relays/RELAY_ID/</c> subtree. See <see cref="Topics"/>.</summary>
public enum RelayTopic
{
    /// <summary><c>status</c>: relay → server, retained; <see cref="RelayStatus"/> (also the last will).</summary>
    Status,

    /// <summary><c>announce</c>: relay → server, retained; <see cref="BundleAnnouncement"/>.</summary>
    Announce,

    /// <summary><c>assignments</c>: server → relay, retained; <see cref="BundleAssignments"/>.</summary>
    Assignments,

    /// <summary><c>invocations</c>: server → relay; <see cref="InvocationRequest"/>.</summary>
    Invocations,

    /// <summary><c>acks</c>: relay → server; <see cref="InvocationAck"/>.</summary>
    Acks,

    /// <summary><c>results</c>: relay → server; <see cref="InvocationResult"/>.</summary>
    Results,

    /// <summary><c>cancels</c>: server → relay; <see cref="InvocationCancel"/> (added in protocol 1.1; a relay that does
    /// not know it never subscribes).</summary>
    Cancels,

    /// <summary><c>receipts</c>: server → relay; <see cref="InvocationReceipt"/> (added within protocol version 1; a
    /// relay that does not know it never subscribes, and a server that does not send it leaves a relay publishing each
    /// result again until its deadline).</summary>
    Receipts,
}
