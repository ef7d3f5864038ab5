using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Support;
using Cog.Testing;

namespace Cog.Integration.Tests.Failover;

/// <summary>
/// Cog on a Patroni cluster (a primary and a synchronous standby) through Npgsql's multi-host connection string, under a
/// load of pipelines from 10 API clients; the primary's machine is lost (its Patroni and PostgreSQL killed with
/// SIGKILL). Patroni promotes the standby once the dead primary's leader key expires, and the same server process keeps
/// answering, without a restart: every answer is a result or a 503 the client can act on, no command runs twice, every
/// pipeline acknowledged before the kill has all its audit records on the new primary (<c>synchronous_commit</c>), and
/// <c>audit verify</c> finds the chain intact. Prints the figures: the cluster's start time, the time from the kill to
/// the first pipeline that succeeds after it (against Patroni's TTL), and the acknowledged records lost.
/// </summary>
[Trait("Category", "Failover")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PatroniFailoverTests : IAsyncLifetime
{
    const int Clients = 10;

    PatroniCluster? _cluster;
    FaultWorld? _world;
    TimeSpan _clusterStart;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    PatroniCluster Cluster => _cluster!;

    FaultWorld World => _world!;

    public async ValueTask InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        _cluster = await PatroniCluster.StartAsync(Token);
        _clusterStart = watch.Elapsed;
        await _cluster.CreateDatabaseAsync("cog", Token);
        _world = await FaultWorld.StartAsync(new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = _cluster.ConnectionString("cog"),
        });
    }

    [Fact]
    public async Task The_primary_lost_under_load_is_replaced_by_the_synchronous_standby_without_restarting_Cog_or_losing_an_acknowledged_record()
    {
        var (primary, standby) = (await Cluster.SynchronousPairAsync(Token))
            ?? throw new InvalidOperationException("No synchronous pair.");
        var load = LoadDriver.Start(World.Http.BaseAddress!, await World.ClientTokensAsync(Clients), "shell-fixtures:slow 0.2");
        await Eventually.TrueAsync(() => load.Succeeded >= 2 * Clients, "the first pipelines to succeed", TimeSpan.FromSeconds(60));

        // Everything answered "succeeded" before the kill: the records of these pipelines were committed on the primary
        // and, by synchronous_commit, on the standby.
        var acknowledged = load.Answers.Where(a => a.Run?.Status == "succeeded").Select(a => a.Run!.Value.Id).ToHashSet();
        var kill = Stopwatch.StartNew();
        await Cluster.KillAsync(primary);
        var (promotion, recovery) = await FirstSuccessAfterAsync(kill, standby);

        var before = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= before + 2 * Clients, "pipelines to succeed again after the failover", TimeSpan.FromSeconds(60));
        var answers = await load.StopAsync();
        await Eventually.TrueAsync(() => World.SpoolIsEmpty, "the audit spool to be replayed", TimeSpan.FromSeconds(30));

        var unexpected = answers.Where(a => a.Run is null && !a.IsUnavailableAnswer).ToList();
        Assert.True(unexpected.Count == 0, $"answers that are neither a result nor a proper 503:\n{string.Join("\n", unexpected.Take(20))}");

        var ranTwice = (await World.MarksAsync()).GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"commands that ran twice: {string.Join(", ", ranTwice)}");

        var audit = await World.AuditAsync();
        var lost = acknowledged.Where(id => !HasEveryRecord(audit, id)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Patroni cluster (etcd + primary + synchronous standby) started in {_clusterStart.TotalSeconds:0.0} s; "
            + $"primary killed under load of {Clients} clients: Patroni reported the standby promoted {promotion.TotalSeconds:0.0} s after the kill "
            + $"(TTL {PatroniCluster.Ttl.TotalSeconds:0} s), the first pipeline succeeded {recovery.TotalSeconds:0.0} s after the kill; "
            + $"pipelines acknowledged before the kill: {acknowledged.Count}, "
            + $"with audit records lost: {lost.Count}; answers: {answers.Count} ({answers.Count(a => a.IsUnavailableAnswer)} × 503).");
        Assert.True(lost.Count == 0, $"pipelines acknowledged before the kill whose audit records are missing: {string.Join(", ", lost)} ({audit.Summary()})");
        var withoutEnd = audit.StartedWithoutEnd();
        Assert.True(withoutEnd.Count == 0, $"pipelines started without an end: {string.Join(", ", withoutEnd)} ({audit.Summary()})");
        var withoutCompletion = audit.DispatchedWithoutCompletion(orInterrupted: false);
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion record: {string.Join(", ", withoutCompletion)} ({audit.Summary()})");

        await World.CogctlAsync("audit", "verify");
        Assert.Equal(HttpStatusCode.OK, (await World.SendAsync(HttpMethod.Get, "/health/ready", null)).Status);
    }

    /// <summary>Runs a pipeline again and again from a client of its own until one succeeds, and asks Patroni which
    /// member is the primary until it is <paramref name="standby"/>; returns both times since <paramref name="kill"/>
    /// was started (the promotion's only as precise as the pipelines' pace).</summary>
    async Task<(TimeSpan Promotion, TimeSpan Success)> FirstSuccessAfterAsync(Stopwatch kill, PatroniCluster.Member standby)
    {
        var limit = PatroniCluster.Ttl + TimeSpan.FromSeconds(60);
        TimeSpan? promotion = null;
        while (true)
        {
            if (promotion is null && await Cluster.PrimaryAsync(Token) == standby)
                promotion = kill.Elapsed;
            var (status, body) = await World.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = "shell-fixtures:slow 0" });
            if (status == HttpStatusCode.OK && body.GetProperty("pipeline").GetProperty("status").GetString() == "succeeded")
            {
                var success = kill.Elapsed;
                var promoted = await Cluster.PrimaryAsync(Token);
                Assert.True(promoted == standby, $"the primary after the failover is {promoted?.ToString() ?? "none"}, not the standby {standby}\n{Cluster.Consoles()}");
                return (promotion ?? success, success);
            }
            Assert.True(kill.Elapsed < limit,
                $"No pipeline succeeded within {limit} of the kill: {(int)status} {body}\n{Cluster.Consoles()}\n{World.Consoles()}");
            await Task.Delay(100, Token);
        }
    }

    /// <summary>Whether the audit log holds the pipeline's start, its first stage's decision and completion, and its end.</summary>
    static bool HasEveryRecord(AuditTrail audit, string pipelineId)
    {
        var kinds = audit.Records
            .Where(r => r.GetProperty("payload").TryGetProperty("pipeline_id", out var p) && p.ValueKind == JsonValueKind.String && p.GetString() == pipelineId)
            .Select(r => r.GetProperty("kind").GetString())
            .ToHashSet();
        return kinds.IsSupersetOf(["pipeline.started", "invocation.decided", "invocation.completed", "pipeline.ended"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed && _cluster is not null)
            TestContext.Current.TestOutputHelper?.WriteLine(_cluster.Consoles());
        if (_world is not null)
            await _world.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }
}
