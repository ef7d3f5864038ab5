using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Cluster;

/// <summary>Two servers on one database and one broker: each runs pipelines on the relay the other started, and a third
/// server joins as a process.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerPairTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Both_servers_run_pipelines_on_the_shared_relay_and_a_server_process_joins_them()
    {
        await using var pair = await ServerPair.StartAsync(postgres);
        await pair.First.WaitForRelayAsync("echo-script:say ready");

        foreach (var server in (ServerEnvironment[])[pair.First, pair.Second, pair.First, pair.Second])
        {
            var run = await server.RunAsync("echo-script:say hello");
            Assert.True(run.GetProperty("status").GetString() == "succeeded", $"through {server.Server.Options.InstanceName}: {run}");
        }

        var (_, api) = await pair.StartProcessAsync("pair-3");
        using var http = new HttpClient { BaseAddress = api };
        var token = await ApiRequests.TokenAsync(http, pair.First.Admin.Username, pair.First.Admin.Password, TestContext.Current.CancellationToken);
        var (status, body) = await ApiRequests.SendAsync(http, HttpMethod.Post, "/v1/pipelines", new { pipeline = "echo-script:say hello" }, token,
            TestContext.Current.CancellationToken);
        Assert.True(status == System.Net.HttpStatusCode.OK && body.GetProperty("pipeline").GetProperty("status").GetString() == "succeeded",
            $"through the server process: {(int)status} {body}");

        // One chain, sealed with the one key, whichever server appended.
        var verify = await pair.Second.CogctlAsync("audit", "verify");
        Assert.True(verify.Code == 0, verify.ToString());
    }
}
