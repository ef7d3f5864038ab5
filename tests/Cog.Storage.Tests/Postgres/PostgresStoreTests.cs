using Cog.Runtime.Postgres;
using Cog.Runtime.Storage;
using Cog.Runtime.Storage.Sql;
using Cog.Storage.Tests.Contract;
using Npgsql;

namespace Cog.Storage.Tests.Postgres;

/// <summary>The store contract on PostgreSQL: a fresh database per test in the assembly's private cluster.</summary>
public sealed class PostgresStoreTests(PostgresCluster cluster) : StoreContract
{
    string _database = "";

    string ConnectionString => cluster.ConnectionString(_database);

    protected override async Task<IStore> OpenFreshAsync()
    {
        // A copy of the migrated template: creating and migrating a database per test would double the time.
        _database = await cluster.CreateDatabaseAsync(PostgresCluster.MigratedTemplate);
        return PostgresStore.Open(ConnectionString);
    }

    protected override async Task<IStore> OpenEmptyAsync() =>
        PostgresStore.Open(cluster.ConnectionString(await cluster.CreateDatabaseAsync("template0")));

    internal override IStore OpenWithMigrations(IReadOnlyList<Migration> migrations) =>
        new SqlStore(new PostgresDatabase(NpgsqlDataSource.Create(ConnectionString), ownsDataSource: true), migrations, TimeProvider.System);

    internal override IReadOnlyList<Migration> EmbeddedMigrations => Migration.FromAssembly(typeof(PostgresStore).Assembly);

    protected override async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString(_database, pooling: false));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Ct);
    }

    protected override async Task<object?> ScalarSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString(_database, pooling: false));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
