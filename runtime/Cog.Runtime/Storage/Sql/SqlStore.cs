namespace Cog.Runtime.Storage.Sql;

/// <summary>An <see cref="IStore"/> over a provider's <see cref="SqlDatabase"/> and its embedded migrations.</summary>
sealed class SqlStore(SqlDatabase database, IReadOnlyList<Migration> migrations, TimeProvider timeProvider)
    : SqlSession(new AutoCommitExecutor(database)), IStore
{
    const string CreateMigrationsTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    internal SqlDatabase Database => database;

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = new List<int>();
        foreach (var migration in migrations)
        {
            await using var lease = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false);
            // Each migration with its bookkeeping in one transaction: DDL is transactional on both providers, so a
            // failed migration leaves nothing behind. The lock makes concurrent servers apply it once.
            await using var transaction = await lease.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var sql = new SqlContext(lease.Connection, transaction);
            if (database.MigrationLockSql is { } lockSql)
                await sql.ExecuteAsync(lockSql, [], cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync(CreateMigrationsTable, [], cancellationToken).ConfigureAwait(false);
            if (await sql.ExistsAsync("SELECT 1 FROM schema_migrations WHERE version = @v", [("v", (long)migration.Version)], cancellationToken).ConfigureAwait(false))
                continue;
            await sql.ExecuteAsync(migration.Sql, [], cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                [("v", (long)migration.Version), ("n", migration.Name), ("t", Read.Micros(timeProvider.GetUtcNow()))], cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
        }
        return applied;
    }

    public Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) => SqlTransaction.BeginAsync(database, cancellationToken);

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
