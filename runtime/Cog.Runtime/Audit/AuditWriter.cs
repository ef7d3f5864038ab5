using System.Threading.Channels;

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
/// <para>Thread-safe. Disposing writes what is queued and stops the loop; later appends throw <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class AuditWriter : IAsyncDisposable
{
    /// <summary>How many entries a transaction is filled up to (a caller's entries are never split, so one may hold more).</summary>
    public const int MaxBatch = 512;

    readonly IAuditStore _store;
    readonly AuditKey _key;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _loop;

    /// <summary>Starts the writer loop over <paramref name="store"/>, sealing with <paramref name="key"/>.</summary>
    public AuditWriter(IAuditStore store, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        _store = store;
        _key = key;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Appends <paramref name="entry"/>; returns once it is durable.</summary>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendAsync([entry], cancellationToken);
    }

    /// <summary>Appends <paramref name="entries"/> in order, in one transaction; returns once they are durable.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var pending = new Pending(entries, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            return Task.FromException(new ObjectDisposedException(nameof(AuditWriter)));
        // Cancelling the wait does not take the entry back: once queued it is written.
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var entries = new List<AuditEntry>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // A caller's entries are never split between transactions; a batch closes once it holds MaxBatch entries.
            while (entries.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                entries.AddRange(pending.Entries);
            }
            try
            {
                await _store.AppendAsync(entries, _key, CancellationToken.None).ConfigureAwait(false);
                foreach (var pending in batch)
                    pending.Done.TrySetResult();
            }
#pragma warning disable CA1031 // Every failure of the store must reach the callers waiting for this batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var pending in batch)
                    pending.Done.TrySetException(e);
            }
            batch.Clear();
            entries.Clear();
        }
    }

    /// <summary>Stops accepting entries, writes what is queued, and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    sealed record Pending(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done);
}
