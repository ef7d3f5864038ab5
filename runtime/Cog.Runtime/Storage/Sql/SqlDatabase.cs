using System.Data.Common;

namespace Cog.Runtime.Storage.Sql;

/// <summary>What a provider (SQLite, PostgreSQL) supplies to the shared ADO.NET stores: connections, the writer
/// discipline, and how to read its constraint violations.</summary>
abstract class SqlDatabase : IAsyncDisposable
{
    /// <summary>An open connection for reads; the caller disposes it.</summary>
    public abstract ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken);

    /// <summary>An open connection for one write transaction, with whatever lock the provider needs (SQLite: the
    /// single writer). Disposing the lease releases both.</summary>
    public abstract ValueTask<WriteLease> OpenWriteAsync(CancellationToken cancellationToken);

    /// <summary>The violation <paramref name="exception"/> reports, or <see cref="SqlViolation.None"/>.</summary>
    public abstract SqlViolation Classify(DbException exception);

    /// <summary>Whether <paramref name="exception"/> says the database cannot be reached or cannot write at all (rather
    /// than refusing this statement): the store reports it as <see cref="StoreUnavailableException"/>.</summary>
    public abstract bool IsUnavailable(DbException exception);

    /// <summary>A statement that serializes audit appends across connections inside a transaction (PostgreSQL:
    /// an advisory transaction lock), or <see langword="null"/> when writes are already serialized.</summary>
    public abstract string? AuditLockSql { get; }

    /// <summary>How many audit records one <c>INSERT</c> statement carries. Several rows per statement save round trips
    /// on a server database; SQLite (in-process, parameters looked up by name) is fastest with one prepared single-row
    /// statement executed per record.</summary>
    public virtual int AuditRowsPerInsert => 1;

    /// <summary>Same role for migrations.</summary>
    public abstract string? MigrationLockSql { get; }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
