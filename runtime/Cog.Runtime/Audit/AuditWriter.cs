using System.Threading.Channels;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Audit;

/// <summary>
/// Appends audit entries durably with group commit: concurrent callers' entries are gathered while the previous batch
/// is being written and appended together in one transaction (<see cref="IAuditStore.AppendAsync"/>), so the cost of a
/// durable write (an fsync) is shared by everyone waiting for it. Entries are sealed there, with the writer's
/// <see cref="AuditKey"/>, when their batch is written.
/// </summary>
/// <remarks>
/// <para>Contract: <c>AppendAsync</c> completes only after the entry is committed, or throws when the batch it
/// was in could not be written — the caller must then not go on as if it were recorded. One writer
/// loop per instance; the store sees at most one append at a time from it, which keeps the hash chain's order simple.</para>
/// <para>With an <see cref="AuditSpool"/>: entries appended with <see cref="AppendOrSpoolAsync"/> (records of what already
/// happened) go to the spool when the store is unavailable (<see cref="StoreUnavailableException"/>); before any batch,
/// and every <see cref="SpoolRetryInterval"/> while the spool holds something, the spool is replayed first, so nothing
/// newer is appended before it and the chain keeps the order of events.</para>
/// <para>Thread-safe. Disposing writes what is queued and stops the loop; later appends throw <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class AuditWriter : IAsyncDisposable
{
    /// <summary>How many entries a transaction is filled up to (a caller's entries are never split, so one may hold more).</summary>
    public const int MaxBatch = 512;

    /// <summary>How often a non-empty spool is replayed while no new entries arrive.</summary>
    public static readonly TimeSpan SpoolRetryInterval = TimeSpan.FromSeconds(1);

    readonly IAuditStore _store;
    readonly AuditKey _key;
    readonly AuditSpool? _spool;
    readonly TimeProvider _time;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _loop;

    /// <summary>Starts the writer loop over <paramref name="store"/>, sealing with <paramref name="key"/>, without a spool.</summary>
    public AuditWriter(IAuditStore store, AuditKey key)
        : this(store, key, null, TimeProvider.System)
    {
    }

    /// <summary>Starts the writer loop over <paramref name="store"/>, sealing with <paramref name="key"/> and replaying
    /// <paramref name="spool"/> (if any) first.</summary>
    public AuditWriter(IAuditStore store, AuditKey key, AuditSpool? spool, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        (_store, _key, _spool, _time) = (store, key, spool, time);
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Appends <paramref name="entry"/>; returns once it is durable.</summary>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendAsync([entry], cancellationToken);
    }

    /// <summary>Appends <paramref name="entries"/> in order, in one transaction; returns once they are durable.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        Enqueue(entries, maySpool: false, cancellationToken);

    /// <summary>Appends <paramref name="entries"/> — records of something that already happened and cannot be undone
    /// (a dispatched command's completion) — in order, in one transaction; when the store is unavailable they are
    /// spooled instead (durably, on the server's disk) and written when it is back. Throws only when neither worked
    /// (or there is no spool).</summary>
    public Task<AuditDelivery> AppendOrSpoolAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        Enqueue(entries, maySpool: true, cancellationToken);

    Task<AuditDelivery> Enqueue(IReadOnlyList<AuditEntry> entries, bool maySpool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var pending = new Pending(entries, maySpool, new TaskCompletionSource<AuditDelivery>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            return Task.FromException<AuditDelivery>(new ObjectDisposedException(nameof(AuditWriter)));
        // Cancelling the wait does not take the entry back: once queued it is written.
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Replays the spool now (the server does so at start, before it accepts work). Throws when the store is
    /// still unavailable.</summary>
    public Task ReplaySpoolAsync(CancellationToken cancellationToken)
    {
        var pending = new Pending([], false, new TaskCompletionSource<AuditDelivery>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            return Task.FromException(new ObjectDisposedException(nameof(AuditWriter)));
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var entries = new List<AuditEntry>(MaxBatch);
        var reader = _queue.Reader;
        while (await WaitForEntriesAsync(reader).ConfigureAwait(false))
        {
            // A caller's entries are never split between transactions; a batch closes once it holds MaxBatch entries.
            while (entries.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                entries.AddRange(pending.Entries);
            }
            try
            {
                if (_spool is { Count: > 0 })
                    await _spool.ReplayAsync(ReplayBatchAsync, MaxBatch, CancellationToken.None).ConfigureAwait(false);
                if (entries.Count > 0)
                    await _store.AppendAsync(entries, _key, CancellationToken.None).ConfigureAwait(false);
                foreach (var pending in batch)
                    pending.Done.TrySetResult(AuditDelivery.Stored);
            }
#pragma warning disable CA1031 // Every failure of the store must reach the callers waiting for this batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Spool(batch, e);
            }
            batch.Clear();
            entries.Clear();
        }
    }

    Task ReplayBatchAsync(IReadOnlyList<AuditEntry> entries) => _store.AppendAsync(entries, _key, CancellationToken.None);

    /// <summary>Waits for entries; with something spooled, wakes up every <see cref="SpoolRetryInterval"/> to replay it
    /// even when nothing new arrives. False once the queue is completed and empty.</summary>
    async Task<bool> WaitForEntriesAsync(ChannelReader<Pending> reader)
    {
        while (true)
        {
            if (_spool is not { Count: > 0 })
                return await reader.WaitToReadAsync().ConfigureAwait(false);
            using var retry = new CancellationTokenSource(SpoolRetryInterval, _time);
            try
            {
                return await reader.WaitToReadAsync(retry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (retry.IsCancellationRequested)
            {
                try
                {
                    await _spool.ReplayAsync(ReplayBatchAsync, MaxBatch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StoreUnavailableException)
                {
                    // Still down: try again after the next interval.
                }
            }
        }
    }

    /// <summary>The batch failed with <paramref name="failure"/>: when the store is unavailable, the entries that may
    /// be spooled are (in the batch's order, in one fsync'ed append); every other caller gets the failure.</summary>
    void Spool(List<Pending> batch, Exception failure)
    {
        var spoolable = _spool is not null && failure is StoreUnavailableException
            ? batch.Where(static p => p.MaySpool).ToList()
            : [];
        if (spoolable.Count > 0)
        {
            try
            {
                _spool!.Append([.. spoolable.SelectMany(static p => p.Entries)]);
                foreach (var pending in spoolable)
                    pending.Done.TrySetResult(AuditDelivery.Spooled);
            }
#pragma warning disable CA1031 // The spool failing too (disk full) is reported to its callers with the store's failure.
            catch (Exception spoolFailure)
#pragma warning restore CA1031
            {
                foreach (var pending in spoolable)
                    pending.Done.TrySetException(new AggregateException(failure, spoolFailure));
            }
        }
        foreach (var pending in batch)
            pending.Done.TrySetException(failure);
    }

    /// <summary>Stops accepting entries, writes what is queued, and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    sealed record Pending(IReadOnlyList<AuditEntry> Entries, bool MaySpool, TaskCompletionSource<AuditDelivery> Done);
}
