namespace Cog.Runtime.Storage;

/// <summary>A unit of work: every call through it runs in one database transaction, committed by
/// <see cref="CommitAsync"/> and rolled back by disposing without committing. An administrative change and its audit
/// record go through the same transaction, so neither is kept without the other.</summary>
/// <remarks>
/// <para>Not thread-safe: one caller, one call at a time. A write that fails with a <see cref="StoreResult{T}"/>
/// error is undone on its own (a savepoint); the transaction stays usable.</para>
/// <para>While a transaction is open it may hold the database's write lock (SQLite has one writer): do not call the
/// <see cref="IStore"/> itself from inside one.</para>
/// </remarks>
public interface IStoreTransaction : IStoreSession, IAsyncDisposable
{
    /// <summary>Commits everything done through this transaction, durably.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
