using System.Data.Common;

namespace Cog.Runtime.Storage.Sql;

/// <summary>A unit of work on one write lease and transaction.</summary>
sealed class SqlTransaction : SqlSession, IStoreTransaction
{
    readonly WriteLease _lease;
    readonly DbTransaction _transaction;
    bool _finished;

    SqlTransaction(SqlDatabase database, WriteLease lease, DbTransaction transaction)
        : base(new TransactionExecutor(database, lease.Connection, transaction))
    {
        _lease = lease;
        _transaction = transaction;
    }

    public static async Task<IStoreTransaction> BeginAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        var lease = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false);
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
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
