using Cog.Testing;

[assembly: AssemblyFixture(typeof(Cog.Integration.Tests.Server.PostgresCluster))]

namespace Cog.Integration.Tests.Server;

/// <summary>The assembly's private PostgreSQL server (<see cref="PostgresServer"/>), started on first use so that runs
/// of the other test classes do not pay for it; each server under test gets a fresh database.</summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    readonly SemaphoreSlim _starting = new(1, 1);
    PostgresServer? _server;

    /// <summary>Starts the server if needed and creates an empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        await _starting.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            _server ??= await PostgresServer.StartAsync();
        }
        finally
        {
            _starting.Release();
        }
        var name = await _server.CreateDatabaseAsync();
        return _server.ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_server is not null)
            await _server.DisposeAsync();
        _starting.Dispose();
    }
}
