namespace Cog.Runtime.Cluster;

/// <summary>What the servers sharing a store know of each other: the running instances with their heartbeats, and the
/// leases of work that must run on one server at a time.</summary>
/// <remarks>Times are the callers' clocks (servers sharing a store keep their clocks synchronized, as NTP does, to well
/// within the instance and lease TTLs).</remarks>
public interface IClusterStore
{
    /// <summary>Registers <paramref name="instance"/> under its name, unless another server holds the name: a row with
    /// the same name, another identity and a heartbeat after <paramref name="liveAfter"/>. Returns that live holder, or
    /// <see langword="null"/> once registered (a row of the same identity, or an expired one, is taken over).</summary>
    Task<ServerInstance?> RegisterInstanceAsync(ServerInstance instance, DateTimeOffset liveAfter, CancellationToken cancellationToken);

    /// <summary>Renews the heartbeat of the instance <paramref name="name"/> of <paramref name="identity"/>; false when
    /// its row is gone (a peer declared it dead) or belongs to another identity.</summary>
    Task<bool> HeartbeatAsync(string name, string identity, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the row of <paramref name="name"/> if it is still <paramref name="identity"/>'s (a clean stop).</summary>
    Task RemoveInstanceAsync(string name, string identity, CancellationToken cancellationToken);

    /// <summary>Every registered instance, by name.</summary>
    Task<IReadOnlyList<ServerInstance>> ListInstancesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the row of <paramref name="name"/> if its heartbeat is not after <paramref name="deadAtOrBefore"/>;
    /// true when this call deleted it (so exactly one caller handles a dead instance).</summary>
    Task<bool> RemoveDeadInstanceAsync(string name, DateTimeOffset deadAtOrBefore, CancellationToken cancellationToken);

    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="expiresAt"/>: granted when nobody holds it, <paramref name="holder"/> does, or the holder's lease
    /// expired by <paramref name="now"/>. Returns the grant (with when the leased work last ran), or
    /// <see langword="null"/> when another holder's lease is current.</summary>
    Task<LeaseGrant?> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Records that the leased work ran at <paramref name="at"/>, if <paramref name="holder"/> still holds the lease.</summary>
    Task RecordLeaseRunAsync(string name, string holder, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (it expires now), if <paramref name="holder"/> holds it: a clean stop hands the work over at once.</summary>
    Task ReleaseLeaseAsync(string name, string holder, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>One running server sharing the store.</summary>
/// <param name="Name">Its instance name, unique among the live servers.</param>
/// <param name="Identity">Its data folder's own id: the same server after a restart.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="HeartbeatAt">Its last heartbeat.</param>
public sealed record ServerInstance(string Name, string Identity, string Host, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);

/// <summary>A lease held.</summary>
/// <param name="LastRunAt">When the leased work last ran, by any holder; <see langword="null"/> when never.</param>
public readonly record struct LeaseGrant(DateTimeOffset? LastRunAt);
