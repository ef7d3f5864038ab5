namespace Cog.Runtime.Storage;

/// <summary>The server's database: the aggregate stores (each write its own transaction), units of work, and
/// migrations. Implemented by <c>Cog.Runtime.Sqlite</c> (the embedded default) and <c>Cog.Runtime.Postgres</c>.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values; exceptions mean a broken or
/// unreachable database (the provider's own exception types pass through).</remarks>
public interface IStore : IStoreSession, IAsyncDisposable
{
    /// <summary>Applies the migrations not yet applied, in order, each in its own transaction (a failed migration
    /// leaves nothing behind), and records them in <c>schema_migrations</c>. Idempotent; safe to call from several
    /// servers at once. Returns the versions it applied.</summary>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Starts a unit of work.</summary>
    Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken);
}
