using System.Data.Common;

namespace Cog.Runtime.Storage.Sql;

/// <summary>Where a store's statements run: each write in its own transaction (<see cref="AutoCommitExecutor"/>)
/// or inside a unit of work (<see cref="TransactionExecutor"/>). A write whose body returns a failure, or hits a
/// constraint violation, is undone entirely.</summary>
abstract class SqlExecutor(SqlDatabase database)
{
    protected SqlDatabase Database => database;

    public abstract Task<T> ReadAsync<T>(Func<SqlContext, Task<T>> body, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="body"/> as one atomic write. A unique or foreign-key violation the body did not
    /// foresee (a race with another writer) becomes <paramref name="onViolation"/>'s error.</summary>
    public abstract Task<StoreResult<T>> WriteAsync<T>(
        Func<SqlContext, Task<StoreResult<T>>> body, Func<SqlViolation, StoreError>? onViolation, CancellationToken cancellationToken);

    public string? AuditLockSql => database.AuditLockSql;

    public int AuditRowsPerInsert => database.AuditRowsPerInsert;

    /// <summary>Runs <paramref name="body"/>, reporting an unreachable database as <see cref="StoreUnavailableException"/>.</summary>
    protected async Task<T> GuardAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (DbException exception) when (database.IsUnavailable(exception))
        {
            throw new StoreUnavailableException(exception);
        }
    }

    protected StoreError? Map(DbException exception, Func<SqlViolation, StoreError>? onViolation)
    {
        var violation = database.Classify(exception);
        return violation == SqlViolation.None || onViolation is null ? null : onViolation(violation);
    }
}

sealed class AutoCommitExecutor(SqlDatabase database) : SqlExecutor(database)
{
    public override Task<T> ReadAsync<T>(Func<SqlContext, Task<T>> body, CancellationToken cancellationToken) =>
        GuardAsync(() => ReadCoreAsync(body, cancellationToken));

    public override Task<StoreResult<T>> WriteAsync<T>(
        Func<SqlContext, Task<StoreResult<T>>> body, Func<SqlViolation, StoreError>? onViolation, CancellationToken cancellationToken) =>
        GuardAsync(() => WriteCoreAsync(body, onViolation, cancellationToken));

    async Task<T> ReadCoreAsync<T>(Func<SqlContext, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        return await body(new SqlContext(connection, null)).ConfigureAwait(false);
    }

    async Task<StoreResult<T>> WriteCoreAsync<T>(
        Func<SqlContext, Task<StoreResult<T>>> body, Func<SqlViolation, StoreError>? onViolation, CancellationToken cancellationToken)
    {
        await using var lease = await Database.OpenWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await lease.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        StoreResult<T> result;
        try
        {
            result = await body(new SqlContext(lease.Connection, transaction)).ConfigureAwait(false);
        }
        catch (DbException exception) when (Map(exception, onViolation) is { } error)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            return error;
        }
        if (result.IsSuccess)
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        else
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }
}

sealed class TransactionExecutor(SqlDatabase database, DbConnection connection, DbTransaction transaction) : SqlExecutor(database)
{
    const string Savepoint = "cog_write";

    public override Task<T> ReadAsync<T>(Func<SqlContext, Task<T>> body, CancellationToken cancellationToken) =>
        GuardAsync(() => body(new SqlContext(connection, transaction)));

    public override Task<StoreResult<T>> WriteAsync<T>(
        Func<SqlContext, Task<StoreResult<T>>> body, Func<SqlViolation, StoreError>? onViolation, CancellationToken cancellationToken) =>
        GuardAsync(() => WriteCoreAsync(body, onViolation, cancellationToken));

    async Task<StoreResult<T>> WriteCoreAsync<T>(
        Func<SqlContext, Task<StoreResult<T>>> body, Func<SqlViolation, StoreError>? onViolation, CancellationToken cancellationToken)
    {
        // A savepoint per write: a refused write is undone alone and the unit of work stays usable (PostgreSQL
        // otherwise aborts the whole transaction on the first error).
        await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        StoreResult<T> result;
        try
        {
            result = await body(new SqlContext(connection, transaction)).ConfigureAwait(false);
        }
        catch (DbException exception) when (Map(exception, onViolation) is { } error)
        {
            await UndoAsync().ConfigureAwait(false);
            return error;
        }
        if (result.IsSuccess)
            await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        else
            await UndoAsync().ConfigureAwait(false);
        return result;
    }

    async Task UndoAsync()
    {
        await transaction.RollbackAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
        await transaction.ReleaseAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
    }
}
