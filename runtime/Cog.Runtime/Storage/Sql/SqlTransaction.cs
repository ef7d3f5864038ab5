using System.Data.Common;

namespace Cog.Runtime.Storage.Sql;

/// <summary>A unit of work on one write lease and transaction.</summary>
sealed class SqlTransaction : SqlSession, IStoreTransaction
{
    readonly SqlDatabase _database;
    readonly WriteLease _lease;
    readonly DbTransaction _transaction;
    bool _finished;

    SqlTransaction(SqlDatabase database, WriteLease lease, DbTransaction transaction)
        : base(new TransactionExecutor(database, lease.Connection, transaction))
    {
        _database = database;
        _lease = lease;
        _transaction = transaction;
    }

    public static async Task<IStoreTransaction> BeginAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        WriteLease lease;
        try
        {
            lease = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException exception) when (database.IsUnavailable(exception))
        {
            throw new StoreUnavailableException(exception);
        }
        try
        {
            var transaction = await lease.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new SqlTransaction(database, lease, transaction);
        }
        catch
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        try
        {
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException exception) when (_database.IsUnavailable(exception))
        {
            throw new StoreUnavailableException(exception);
        }
        _finished = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_finished)
            {
                _finished = true;
                await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}
