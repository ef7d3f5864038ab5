using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cog.Integration.Tests.Server;

/// <summary>The server of one test class, on one store, plus direct access to that store's database (to tamper with
/// the audit log as an intruder with database access would).</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    ServerEnvironment? _environment;

    internal ServerEnvironment Environment => _environment ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Starts the server on this fixture's store.</summary>
    private protected abstract Task<ServerEnvironment> StartAsync();

    /// <summary>Runs one SQL statement directly against the server's database; returns the rows it changed.</summary>
    public abstract Task<int> ExecuteSqlAsync(string sql);

    public async ValueTask InitializeAsync() => _environment = await StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_environment is not null)
            await _environment.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The server on its default store: SQLite in the data folder.</summary>
public sealed class SqliteServerFixture : ServerFixture
{
    string _database = "";

    private protected override Task<ServerEnvironment> StartAsync() =>
        ServerEnvironment.StartAsync((options, root) =>
        {
            options.Database.Provider = "sqlite";
            _database = Path.Combine(options.DataDirectory, "cog.db");
        });

    public override async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database, Pooling = false }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>The server on PostgreSQL: a fresh database of the assembly's private PostgreSQL server.</summary>
public sealed class PostgresServerFixture(PostgresCluster cluster) : ServerFixture
{
    string _connectionString = "";

    private protected override async Task<ServerEnvironment> StartAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync();
        return await ServerEnvironment.StartAsync((options, _) =>
        {
            options.Database.Provider = "postgres";
            options.Database.ConnectionString = _connectionString;
        });
    }

    public override async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
