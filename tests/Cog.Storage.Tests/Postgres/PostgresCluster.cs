using Cog.Testing;

[assembly: AssemblyFixture(typeof(Cog.Storage.Tests.Postgres.PostgresCluster))]

namespace Cog.Storage.Tests.Postgres;

/// <summary>The assembly's private PostgreSQL server (<see cref="PostgresServer"/>) with a database holding the
/// store's schema, migrated once, that tests copy.</summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    PostgresServer? _server;

    PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server is not started.");

    /// <summary>A database with the store's schema, migrated once; tests copy it.</summary>
    public const string MigratedTemplate = "cog_template";

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres", bool pooling = true) => Server.ConnectionString(database, pooling);

    /// <summary>Creates a database with a unique name as a copy of <paramref name="template"/> and returns its name.</summary>
    public Task<string> CreateDatabaseAsync(string template) => Server.CreateDatabaseAsync(template);

    public async ValueTask InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        await _server.CreateDatabaseAsync(MigratedTemplate, "template0");
        await using var store = Cog.Runtime.Postgres.PostgresStore.Open(ConnectionString(MigratedTemplate, pooling: false));
        await store.MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
