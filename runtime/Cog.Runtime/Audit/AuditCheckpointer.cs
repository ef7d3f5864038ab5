using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Audit;

/// <summary>Writes signed checkpoints of the audit chain's head (<see cref="AuditCheckpoint"/>) to the checkpoint files
/// and the log: when started, every interval while the head moves, and when disposed (shutdown).</summary>
/// <remarks>
/// <para>A checkpoint bounds what an attacker with database access can remove unseen: verification reports a log that
/// ends before, or differs from, any checkpoint. Records appended after the last checkpoint are protected by the chain
/// alone until the next one (at most one interval).</para>
/// <para>A failed checkpoint is logged as an error and retried at the next interval: it loses no record. Dispose after
/// the <see cref="AuditWriter"/>, so the last checkpoint covers its last batch.</para>
/// </remarks>
public sealed class AuditCheckpointer : IAsyncDisposable
{
    readonly IAuditStore _store;
    readonly AuditKey _key;
    readonly AuditCheckpointFiles _files;
    readonly TimeSpan _interval;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stop = new();
    readonly SemaphoreSlim _writing = new(1, 1);
    Task _loop = Task.CompletedTask;
    AuditCheckpoint? _last;

    /// <summary>A checkpointer of <paramref name="store"/>'s head, signing with <paramref name="key"/>; not running until
    /// <see cref="StartAsync"/>.</summary>
    public AuditCheckpointer(IAuditStore store, AuditKey key, AuditCheckpointFiles files, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _store = store;
        _key = key;
        _files = files;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Writes a checkpoint of the current head now (a failure here is thrown: the server does not start
    /// without its first checkpoint), then every interval.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Writes a checkpoint of the head when it moved since the last one; returns it, or <see langword="null"/>
    /// when there was nothing new (an empty log, or the same head).</summary>
    public async Task<AuditCheckpoint?> WriteAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var head = await _store.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (head is null || (_last is { } last && last.Sequence == head.Sequence && last.Hash == head.Hash))
                return null;
            var checkpoint = AuditCheckpoint.Create(_key, head, _time.GetUtcNow());
            _files.Append(checkpoint);
            _last = checkpoint;
            AuditLog.Checkpoint(_logger, checkpoint.Sequence, checkpoint.Hash, checkpoint.Time, checkpoint.KeyId, checkpoint.Mac);
            return checkpoint;
        }
        finally
        {
            _writing.Release();
        }
    }

    async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await WriteLoggingFailureAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    async Task WriteLoggingFailureAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed checkpoint loses no record: it is logged and retried at the next interval.
        catch (Exception e)
#pragma warning restore CA1031
        {
            AuditLog.CheckpointFailed(_logger, e);
        }
    }

    /// <summary>Stops the interval and writes the last checkpoint (shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await WriteLoggingFailureAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
        _writing.Dispose();
    }
}
