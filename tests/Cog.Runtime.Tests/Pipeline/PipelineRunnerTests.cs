using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Relays;

namespace Cog.Runtime.Tests.Pipeline;

public sealed class PipelineRunnerTests : IAsyncLifetime
{
    RunnerWorld _world = null!;
    PipelineCaller _alice = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _alice = await _world.CallerAsync("alice");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    static string Body(PipelineOutcome outcome) => ((ObjectValue)Assert.Single(outcome.Items)).ToJson();

    [Fact]
    public async Task A_pipeline_is_recorded_in_the_callers_history_running_then_finished_with_its_item_count()
    {
        var outcome = await _world.RunAsync(_alice, "seed '[{\"a\":1},{\"a\":2}]'");

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        var entry = await _world.Store.Store.History.GetAsync(outcome.PipelineId, Ct);
        Assert.NotNull(entry);
        Assert.Equal((1L, "seed '[{\"a\":1},{\"a\":2}]'", "ops", "slack", PipelineState.Finished, 2L),
            (entry.Index, entry.Text, entry.Room, entry.Provider, entry.State, entry.Count));
        Assert.Equal(_world.Store.Time.GetUtcNow(), entry.FinishedAt);
        Assert.Empty(_world.Running.List());
    }

    [Fact]
    public async Task Double_bang_repeats_the_callers_previous_pipeline_and_records_the_repeated_text()
    {
        await _world.RunAsync(_alice, "echo first");
        await _world.RunAsync(_alice, "echo second");

        var repeated = await _world.RunAsync(_alice, "  !!  ");
        var again = await _world.RunAsync(_alice, "!!");

        Assert.Equal("{\"body\":[\"second\"]}", Body(repeated));
        Assert.Equal("{\"body\":[\"second\"]}", Body(again));
        var history = await _world.Store.Store.History.ListAsync(_alice.UserId, 10, Ct);
        Assert.Equal(["echo second", "echo second", "echo second", "echo first"], history.Select(e => e.Text));
    }

    [Fact]
    public async Task Double_bang_without_history_says_so_and_runs_nothing()
    {
        var bob = await _world.CallerAsync("bob");
        await _world.RunAsync(_alice, "echo alices");

        var outcome = await _world.RunAsync(bob, "!!");

        Assert.Equal((PipelineStatus.PlanningFailed, "No history available."), (outcome.Status, outcome.Message));
        Assert.Empty(await _world.Store.Store.History.ListAsync(bob.UserId, 10, Ct));
    }

    [Fact]
    public async Task Explaining_double_bang_explains_the_previous_pipeline()
    {
        await _world.RunAsync(_alice, "echo first");

        var explanation = await _world.ExplainAsync(_alice, "!!");

        Assert.Equal(ExplanationDecision.Allowed, explanation.Decision);
        Assert.Equal("operable:echo first", Assert.Single(explanation.Stages).Invocation);
        var bob = await _world.CallerAsync("bob");
        var none = await _world.ExplainAsync(bob, "!!");
        Assert.Equal((ExplanationDecision.Error, "No history available."), (none.Decision, none.Message));
    }

    [Fact]
    public async Task An_explanation_is_durable_in_the_audit_log_when_it_returns()
    {
        await _world.ExplainAsync(_alice, "echo hi | pipeline-list");

        var record = Assert.Single(await _world.AuditAsync("pipeline.explained"));
        Assert.Equal(("alice", "echo hi | pipeline-list", "allowed"), (record.Actor, record.Command, record.Outcome));
        Assert.Contains("\"rule\":\"when command is operable:pipeline-list allow\"", record.PayloadJson, StringComparison.Ordinal);
        Assert.Empty(await _world.AuditAsync("pipeline.started"));
    }

    [Fact]
    public async Task Pipeline_kill_stops_a_running_sleep_and_cancels_the_command()
    {
        var sleeping = _world.RunAsync(_alice, "sleep 600");
        var running = await WaitUntilRunningAsync();

        var kill = await _world.RunAsync(_alice, $"pipeline-kill {running.Id[..8]}");
        var outcome = await sleeping.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal($"{{\"killed\":[\"{running.Id}\"],\"killed_text\":\"{running.Id}\"}}", Body(kill));
        Assert.Equal((PipelineStatus.ExecutionFailed, $"Pipeline {running.Id} was killed."), (outcome.Status, outcome.Message));
        var entry = await _world.Store.Store.History.GetAsync(running.Id, Ct);
        Assert.Equal(PipelineState.Finished, entry!.State);
    }

    [Fact]
    public async Task A_history_store_that_fails_is_logged_and_the_reply_still_comes()
    {
        var log = new CollectingLogger<PipelineRunner>();
        var runner = new PipelineRunner(_world.Engine, _world.Running, new BrokenHistory(), _world.Store.Time, log, PipelineRunnerOptions.Default);

        var outcome = await runner.RunAsync(new PipelineRequest("echo still here", _alice, Some.Ops) { PipelineId = "p-1" }, Ct);

        Assert.Equal("{\"body\":[\"still here\"]}", Body(outcome));
        Assert.Equal(
            [$"Could not record pipeline p-1 of user {_alice.UserId} in the history: database is gone. The pipeline runs anyway."],
            log.Warnings);
    }

    [Fact]
    public async Task A_history_entry_the_store_refuses_is_logged_too()
    {
        var ghost = _alice with { UserId = "no-such-user" };

        var outcome = await _world.RunAsync(ghost, "echo hi");

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal([$"Could not record pipeline {outcome.PipelineId} of user no-such-user in the history: User 'no-such-user' does not exist. The pipeline runs anyway."],
            _world.Log.Warnings);
    }

    async Task<RunningPipeline> WaitUntilRunningAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_world.Running.List() is [var running])
                return running;
            await Task.Delay(10, timeout.Token);
        }
    }

    sealed class BrokenHistory : IHistoryStore
    {
        static Exception Gone => new InvalidOperationException("database is gone");

        public Task<StoreResult<PipelineHistoryEntry>> AddAsync(PipelineHistoryEntry entry, CancellationToken cancellationToken) => throw Gone;

        public Task<StoreResult<PipelineHistoryEntry>> UpdateAsync(string id, PipelineState state, long count, DateTimeOffset? finishedAt,
            CancellationToken cancellationToken) => throw Gone;

        public Task<PipelineHistoryEntry?> GetAsync(string id, CancellationToken cancellationToken) => throw Gone;

        public Task<PipelineHistoryEntry?> FindByIndexAsync(string userId, long index, CancellationToken cancellationToken) => throw Gone;

        public Task<IReadOnlyList<PipelineHistoryEntry>> ListAsync(string userId, int limit, CancellationToken cancellationToken) => throw Gone;

        public Task<IReadOnlyList<PipelineHistoryEntry>> QueryAsync(HistoryQuery query, CancellationToken cancellationToken) => throw Gone;

        public Task<IReadOnlyList<PipelineHistoryEntry>> ListUnfinishedAsync(CancellationToken cancellationToken) => throw Gone;
    }
}
