using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Cluster;

/// <summary>This server's row among the servers sharing the store (<see cref="IClusterStore"/>): registered at start
/// (refused when another live server has the name), its heartbeat renewed every <see cref="ClusterTimings.Heartbeat"/>,
/// deleted at a clean stop. A server whose heartbeat is older than <see cref="ClusterTimings.InstanceTtl"/> is dead to its
/// peers: one of them marks its pipelines interrupted (<see cref="DeadServerSweeper"/>).</summary>
public sealed class InstanceRegistration : IAsyncDisposable
{
    readonly IClusterStore _store;
    readonly ServerInstance _instance;
    readonly ClusterTimings _timings;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stop = new();
    Task _loop = Task.CompletedTask;

    InstanceRegistration(IClusterStore store, ServerInstance instance, ClusterTimings timings, TimeProvider time, ILogger logger) =>
        (_store, _instance, _timings, _time, _logger) = (store, instance, timings, time, logger);

    /// <summary>This server's instance name.</summary>
    public string Name => _instance.Name;

    /// <summary>Registers the instance <paramref name="name"/> of <paramref name="identity"/> (the data folder's own id) and
    /// starts its heartbeat.</summary>
    /// <exception cref="InstanceNameTakenException">Another server with that name is alive on the store.</exception>
    public static async Task<InstanceRegistration> StartAsync(IClusterStore store, string name, string identity, ClusterTimings timings,
        TimeProvider time, ILogger<InstanceRegistration> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var now = time.GetUtcNow();
        var instance = new ServerInstance(name, identity, Environment.MachineName, now, now);
        if (await store.RegisterInstanceAsync(instance, now - timings.InstanceTtl, cancellationToken).ConfigureAwait(false) is { } holder)
            throw new InstanceNameTakenException(holder, timings.InstanceTtl);
        var registration = new InstanceRegistration(store, instance, timings, time, logger);
        registration._loop = Task.Run(registration.BeatAsync, CancellationToken.None);
        return registration;
    }

    async Task BeatAsync()
    {
        using var timer = new PeriodicTimer(_timings.Heartbeat, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    var now = _time.GetUtcNow();
                    if (await _store.HeartbeatAsync(_instance.Name, _instance.Identity, now, _stop.Token).ConfigureAwait(false))
                        continue;
                    // Peers took this server for dead (no heartbeat for a TTL: a long store outage or pause) and may have
                    // marked its pipelines interrupted; it is alive, so it registers again.
                    ClusterLog.DeclaredDead(_logger, _instance.Name);
                    if (await _store.RegisterInstanceAsync(_instance with { HeartbeatAt = now }, now - _timings.InstanceTtl, _stop.Token).ConfigureAwait(false)
                        is { } holder)
                        ClusterLog.NameTakenWhileRunning(_logger, _instance.Name, holder.Host);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // A failed heartbeat (the store unreachable) is logged; the next one tries again.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    ClusterLog.HeartbeatFailed(_logger, _instance.Name, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops the heartbeat and deletes the row (the name is free at once; nothing of this server is left to mark).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        await _store.RemoveInstanceAsync(_instance.Name, _instance.Identity, CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>Another live server holds the instance name this one was given.</summary>
public sealed class InstanceNameTakenException : InvalidOperationException
{
    /// <summary>Names the live holder and how long after its last heartbeat the name is free again.</summary>
    public InstanceNameTakenException(ServerInstance holder, TimeSpan ttl)
        : base($"Another Cog server is running as instance '{holder?.Name}' on this database (on host {holder?.Host}, started " +
            $"{holder?.StartedAt:u}, last heartbeat {holder?.HeartbeatAt:u}). Give every server sharing the database its own " +
            $"Cog:InstanceName; a server that stopped frees its name at once, one that died {ttl.TotalSeconds:0} s after its last heartbeat.") =>
        Holder = holder ?? throw new ArgumentNullException(nameof(holder));

    /// <summary>The live server holding the name.</summary>
    public ServerInstance Holder { get; }
}
