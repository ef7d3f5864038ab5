namespace Cog.Runtime.Cluster;

/// <summary>How often the servers sharing a store show they are alive, and how soon a silent one is taken for dead.</summary>
/// <param name="Heartbeat">Between two heartbeats of a server, and two attempts of a lease's work.</param>
/// <param name="InstanceTtl">A server whose last heartbeat is older is dead: its pipelines are marked interrupted by a peer.
/// Also the life of a lease not renewed, so the work of a dead holder is taken over after it.</param>
public sealed record ClusterTimings(TimeSpan Heartbeat, TimeSpan InstanceTtl)
{
    /// <summary>A heartbeat every 5 s; dead after 20 s without one.</summary>
    public static ClusterTimings Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));

    /// <summary>Throws unless the heartbeat is positive and the TTL at least twice the heartbeat (a late heartbeat is not a death).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Heartbeat, TimeSpan.Zero, nameof(Heartbeat));
        ArgumentOutOfRangeException.ThrowIfLessThan(InstanceTtl, Heartbeat * 2, nameof(InstanceTtl));
    }
}
