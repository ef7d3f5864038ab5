using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Cluster;

/// <summary>Work that must run on one of the servers sharing a store at a time, every <c>interval</c>: the token reaper,
/// the sweeper of dead servers. Every server runs a <see cref="LeasedJob"/> for it; each one tries to take or renew the
/// lease (a row of <c>leases</c>, <see cref="IClusterStore.TryTakeLeaseAsync"/>) every <see cref="ClusterTimings.Heartbeat"/>,
/// and the holder runs the work when the lease row says it last ran an interval ago (whichever server ran it).</summary>
/// <remarks>
/// <para>Why a lease row rather than a PostgreSQL advisory lock: it works the same on SQLite, it needs no connection
/// held open for its life (so a pool cleared by a failover or a connection cut does not silently drop it), and the row
/// also carries when the work last ran, so a daily job is not run again by a new holder.</para>
/// <para>A holder that dies stops renewing: its lease expires <see cref="ClusterTimings.InstanceTtl"/> after its last
/// renewal and the next server to try takes it over. A holder that stops cleanly gives the lease up at once. The work
/// should take well under the TTL; a failed run is logged and tried again at the next attempt.</para>
/// </remarks>
public sealed class LeasedJob : IAsyncDisposable
{
    readonly IClusterStore _store;
    readonly string _name;
    readonly string _holder;
    readonly TimeSpan _interval;
    readonly ClusterTimings _timings;
    readonly Func<CancellationToken, Task> _work;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    int _runs;
    int _attempts;
    volatile bool _holds;

    /// <summary>Starts trying (at once, then every heartbeat) to run <paramref name="work"/> under the lease
    /// <paramref name="name"/> as <paramref name="holder"/> (this server's instance name), every <paramref name="interval"/>.</summary>
    public LeasedJob(IClusterStore store, string name, string holder, TimeSpan interval, ClusterTimings timings,
        Func<CancellationToken, Task> work, TimeProvider time, ILogger<LeasedJob> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        (_store, _name, _holder, _interval, _timings, _work, _time, _logger) = (store, name, holder, interval, timings, work, time, logger);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>How many times this server ran the work.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>How many attempts this server has finished (taking or renewing the lease, and the work when due).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Whether this server held the lease at its last attempt.</summary>
    public bool Holds => _holds;

    async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_timings.Heartbeat, _time);
        try
        {
            do
            {
                await AttemptAsync(_stop.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    async Task AttemptAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = _time.GetUtcNow();
            var grant = await _store.TryTakeLeaseAsync(_name, _holder, now, now + _timings.InstanceTtl, cancellationToken).ConfigureAwait(false);
            _holds = grant is not null;
            if (grant is null || (grant.Value.LastRunAt is { } last && now - last < _interval))
                return;
            await _work(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _runs);
            await _store.RecordLeaseRunAsync(_name, _holder, now, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed attempt (the store unreachable, the work failing) is logged; the next one tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ClusterLog.LeasedWorkFailed(_logger, _name, e);
        }
        finally
        {
            Interlocked.Increment(ref _attempts);
        }
    }

    /// <summary>Stops trying and gives the lease up, so another server takes the work over at its next attempt.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        try
        {
            await _store.ReleaseLeaseAsync(_name, _holder, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The store may be gone at shutdown: the lease then expires by itself.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ClusterLog.LeasedWorkFailed(_logger, _name, e);
        }
    }
}
