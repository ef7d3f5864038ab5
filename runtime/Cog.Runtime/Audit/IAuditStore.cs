namespace Cog.Runtime.Audit;

/// <summary>The append-only, hash-chained audit log (architecture §7).</summary>
/// <remarks>Thread-safe. Append failures are exceptions on purpose: audit fails loud (house-style §3.14), and the
/// caller must not dispatch a command whose audit record was not written.</remarks>
public interface IAuditStore
{
    /// <summary>Seals <paramref name="entries"/> into the chain and writes them durably in one transaction (group
    /// commit: the pipeline engine batches concurrent appends). Returns once committed (fsync'd), in order.</summary>
    Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    /// <summary>Records matching the query, in sequence order (page with <see cref="AuditQuery.AfterSequence"/>).</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every record in sequence order, read page by page: the input of <see cref="AuditChain.VerifyAsync"/>.</summary>
    IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken);
}
