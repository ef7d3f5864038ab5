namespace Cog.Runtime.Audit;

/// <summary>The append-only audit log, sealed into a keyed chain (<see cref="AuditChain"/>).</summary>
/// <remarks>Thread-safe. Append failures are exceptions on purpose: audit fails loud, and the caller must not dispatch a
/// command whose audit record was not written. The store never holds the key: the caller passes it with each append.</remarks>
public interface IAuditStore
{
    /// <summary>Seals <paramref name="entries"/> with <paramref name="key"/> after the stored head (read under the
    /// store's append lock, so concurrent appenders form one chain) and writes them durably in one transaction (group
    /// commit: the <see cref="AuditWriter"/> batches concurrent appends). Returns once committed (fsync'd), in order.</summary>
    Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditKey key, CancellationToken cancellationToken);

    /// <summary>The record with the highest sequence number, or <see langword="null"/> when the log is empty.</summary>
    Task<AuditRecord?> ReadHeadAsync(CancellationToken cancellationToken);

    /// <summary>Records matching the query, in sequence order (page with <see cref="AuditQuery.AfterSequence"/>).</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every record in sequence order, read page by page: the input of <see cref="AuditChain.VerifyAsync"/>.</summary>
    IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken);
}
