using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Language.Rules;
using Cog.Runtime.Audit;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Bundles;
using Cog.Runtime.Tests.Pipeline;

namespace Cog.Runtime.Tests.Audit;

/// <summary>A server that crashed left pipelines running: at its next start they are marked interrupted, with what is
/// known, and only its own.</summary>
public sealed class InterruptedPipelinesTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pipelines_a_crashed_instance_left_running_are_marked_interrupted_with_what_is_known()
    {
        await using var world = await StoreWorld.OpenAsync();
        var alice = await world.UserAsync("alice");
        var now = world.Time.GetUtcNow();
        async Task Row(string id, string instance, string text) => (await world.Store.History.AddAsync(
            new PipelineHistoryEntry(id, alice.Id, 0, text, "ops", "slack", 0, PipelineState.Running, now, null) { Instance = instance }, Ct)).GetValueOrThrow();
        await Row("p-crashed", "cog-a", "deploy:release web-7 | notify:send");
        await Row("p-other-server", "cog-b", "echo elsewhere");
        await Row("p-ended", "cog-a", "echo done");

        // What the crashed server had recorded: the deploy ran on relay-1, then notify was decided (and dispatched),
        // and nothing more. The other pipeline of this instance had ended; only its history row was not updated.
        await using (var crashed = new AuditWriter(world.Store.Audit))
        {
            var audit = new PipelineAuditLog(crashed, "cog-a");
            await audit.RecordAsync([
                new PipelineStarted("p-crashed", now, Some.Alice, Some.Ops, "deploy:release web-7 | notify:send"),
                new InvocationDecided("p-crashed", now, Some.Alice, Some.Ops, 0, "deploy:release web-7", RuleOutcome.Allowed, null, [], false, []),
                new InvocationCompleted("p-crashed", now, 0, "deploy:release web-7", "relay-1", ResultStatus.Ok, null, TimeSpan.FromSeconds(2)),
                new InvocationDecided("p-crashed", now, Some.Alice, Some.Ops, 1, "notify:send", RuleOutcome.Allowed, null, [], false, []),
                new PipelineStarted("p-ended", now, Some.Alice, Some.Ops, "echo done"),
                new PipelineEnded("p-ended", now, PipelineStatus.Succeeded, null, TimeSpan.Zero),
            ], Ct);
        }

        await using var writer = new AuditWriter(world.Store.Audit);
        var marked = await InterruptedPipelines.MarkAsync(world.Store.History, world.Store.Audit, writer, "cog-a", world.Time, Ct);

        Assert.Equal(["p-crashed", "p-ended"], marked.Select(static e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(PipelineState.Interrupted, (await world.Store.History.GetAsync("p-crashed", Ct))!.State);
        Assert.Equal(PipelineState.Finished, (await world.Store.History.GetAsync("p-ended", Ct))!.State);
        Assert.Equal(PipelineState.Running, (await world.Store.History.GetAsync("p-other-server", Ct))!.State);
        Assert.Equal(["p-other-server"], (await world.Store.History.ListUnfinishedAsync(Ct)).Select(static e => e.Id));

        var records = new List<AuditRecord>();
        await foreach (var record in world.Store.Audit.ReadAllAsync(Ct))
            records.Add(record);
        var interrupted = Assert.Single(records, static r => r.Kind == InterruptedPipelines.Kind);
        Assert.Equal(("deploy:release web-7 | notify:send", "interrupted", (string?)null), (interrupted.Command, interrupted.Outcome, interrupted.Actor));
        using var payload = JsonDocument.Parse(interrupted.PayloadJson);
        Assert.Equal("p-crashed", payload.RootElement.GetProperty("pipeline_id").GetString());
        Assert.Equal("cog-a", payload.RootElement.GetProperty("instance").GetString());
        Assert.Equal(
            """[{"stage":0,"invocation":"deploy:release web-7","state":"completed","relay":"relay-1","status":"ok"},{"stage":1,"invocation":"notify:send","state":"dispatched"}]""",
            payload.RootElement.GetProperty("invocations").GetRawText());
        Assert.Contains("\"instance\":\"cog-a\"", records.First(static r => r.Kind == "pipeline.started").PayloadJson, StringComparison.Ordinal);
        Assert.True(AuditChain.Verify(records).IsIntact);

        // A second start finds nothing more to mark.
        Assert.Empty(await InterruptedPipelines.MarkAsync(world.Store.History, world.Store.Audit, writer, "cog-a", world.Time, Ct));
    }
}
