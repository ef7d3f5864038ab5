using Cog.Runtime.Sqlite;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;

namespace Cog.Server.Tests.Composition;

/// <summary>A clean stop: every part that writes to the store as it stops (the audit writer's last batch, the leases
/// given up, the instance's row deleted) still has the store, and nothing fails.</summary>
public sealed class StopTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_clean_stop_deletes_the_instances_row_and_logs_no_error()
    {
        var root = Directory.CreateTempSubdirectory("cog-stop-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var log = new CollectingLoggerFactory();
            var server = await CogServer.StartAsync(new ServerOptions
            {
                DataDirectory = data,
                InstanceName = "cog-stop",
                Api = { Urls = "http://127.0.0.1:0" },
                Broker = { Port = 0 },
            }, log, TimeProvider.System, Ct);
            Assert.Equal(["cog-stop"], (await server.Store.Cluster.ListInstancesAsync(Ct)).Select(static i => i.Name));

            await server.DisposeAsync();

            Assert.True(log.Errors.Count == 0, string.Join("\n", log.Errors));
            Assert.DoesNotContain(log.Texts, static t => t.Contains("expires by itself", StringComparison.Ordinal));
            await using var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(data, "cog.db") });
            Assert.Empty(await store.Cluster.ListInstancesAsync(Ct));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
