using Cog.Runtime.Audit;

namespace Cog.Runtime.Diagnostics;

/// <summary>Wraps an <see cref="IAuditStore"/> and records how long each durable append takes in
/// <see cref="CogMetrics"/> (a batch of the <see cref="AuditWriter"/> is one append).</summary>
/// <remarks>Thread-safe. Failures still propagate (audit fails loud); they are recorded as <c>failed</c>.</remarks>
public sealed class MeteredAuditStore(IAuditStore inner, CogMetrics metrics, TimeProvider time) : IAuditStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditKey key, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var succeeded = false;
        try
        {
            var records = await inner.AppendAsync(entries, key, cancellationToken).ConfigureAwait(false);
            succeeded = true;
            return records;
        }
        finally
        {
            metrics.AuditWritten(time.GetElapsedTime(started), succeeded);
        }
    }

    /// <inheritdoc />
    public Task<AuditRecord?> ReadHeadAsync(CancellationToken cancellationToken) => inner.ReadHeadAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);
}
