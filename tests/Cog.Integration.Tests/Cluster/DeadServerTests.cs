using System.Text.Json;
using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Audit;
using Cog.Runtime.Cluster;
using Cog.Runtime.Pipeline;
using Cog.Testing;

namespace Cog.Integration.Tests.Cluster;

/// <summary>Instances sharing a store: names are unique among the live ones, and a server that dies mid-pipeline has its
/// pipelines marked interrupted by a peer.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeadServerTests(PostgresCluster postgres)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Quick heartbeats, so a death is seen in seconds; not quicker, because a sweeper whose sweeps come more
    /// than two heartbeats apart (a loaded CI machine, with 1 s heartbeats) starts watching again and judges nobody.</summary>
    static readonly Dictionary<string, string> QuickHeartbeats = new(StringComparer.Ordinal)
    {
        ["Cluster:HeartbeatSeconds"] = "2",
        ["Cluster:InstanceTtlSeconds"] = "6",
    };

    [Fact]
    public async Task A_server_given_the_name_of_a_live_server_on_the_same_database_refuses_to_start_and_says_why()
    {
        await using var pair = await ServerPair.StartAsync(postgres);

        var refused = await Assert.ThrowsAsync<InstanceNameTakenException>(() => ServerEnvironment.StartAsync((options, _) =>
        {
            options.InstanceName = "pair-1";
            options.Database.Provider = "postgres";
            options.Database.ConnectionString = pair.ConnectionString;
            options.Dev.Bundles = null;
        }, admin: pair.First.Admin));

        Assert.StartsWith("Another Cog server is running as instance 'pair-1' on this database (on host ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Give every server sharing the database its own Cog:InstanceName", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["pair-1", "pair-2"], (await pair.First.Server.Store.Cluster.ListInstancesAsync(Ct)).Select(static i => i.Name));
    }

    [Fact]
    public async Task A_server_killed_mid_pipeline_has_it_marked_interrupted_by_a_peer_with_what_is_known()
    {
        await using var pair = await ServerPair.StartAsync(postgres, (options, _) =>
        {
            options.Cluster.HeartbeatSeconds = 2;
            options.Cluster.InstanceTtlSeconds = 6;
        });
        var store = pair.First.Server.Store;
        var (doomed, api) = await pair.StartProcessAsync("pair-3", QuickHeartbeats);
        using var http = new HttpClient { BaseAddress = api };
        var token = await ApiRequests.TokenAsync(http, pair.First.Admin.Username, pair.First.Admin.Password, Ct);
        var request = ApiRequests.SendAsync(http, HttpMethod.Post, "/v1/pipelines", new { pipeline = "echo started | sleep 30" }, token, Ct);
        PipelineHistoryEntry? running = null;
        await Eventually.TrueAsync(() =>
        {
            running = store.History.ListUnfinishedAsync(Ct).GetAwaiter().GetResult().SingleOrDefault(static e => e.Instance == "pair-3");
            return running is not null;
        }, "the pipeline running on pair-3");
        await Eventually.TrueAsync(() => AuditOf(store, running!.Id).Any(static r => r.Kind == "invocation.completed"), "echo's completion recorded");

        await doomed.KillAsync();

        await Eventually.TrueAsync(() => store.History.GetAsync(running!.Id, Ct).GetAwaiter().GetResult()!.State == PipelineState.Interrupted,
            "a peer marks the dead server's pipeline interrupted", TimeSpan.FromSeconds(60));
        var interrupted = Assert.Single(AuditOf(store, running!.Id), static r => r.Kind == InterruptedPipelines.Kind);
        using var payload = JsonDocument.Parse(interrupted.PayloadJson);
        Assert.Equal((running.Id, "pair-3"), (payload.RootElement.GetProperty("pipeline_id").GetString(), payload.RootElement.GetProperty("instance").GetString()));
        Assert.Equal("""[{"stage":0,"invocation":"operable:echo started","state":"completed","status":"ok"},{"stage":1,"invocation":"operable:sleep 30","state":"dispatched"}]""",
            payload.RootElement.GetProperty("invocations").GetRawText());
        Assert.DoesNotContain("pair-3", (await store.Cluster.ListInstancesAsync(Ct)).Select(static i => i.Name));
        // The caller of the dead server got no answer: its connection was cut.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => request);
    }

    static List<AuditRecord> AuditOf(Cog.Runtime.Storage.IStore store, string pipelineId) =>
        [.. store.Audit.ListAsync(new AuditQuery(Limit: 1000), Ct).GetAwaiter().GetResult()
            .Where(r => r.PayloadJson.Contains($"\"pipeline_id\":\"{pipelineId}\"", StringComparison.Ordinal))];
}
