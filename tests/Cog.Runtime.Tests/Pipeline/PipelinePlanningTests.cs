using System.Text;
using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Pipeline;

/// <summary>Planning (parse, resolve, prepare, authorization preview) is bounded by the pipeline limits, and a kill or
/// the deadline stops it as it stops a running command.</summary>
public class PipelinePlanningTests
{
    readonly FakeDirectory _directory = new FakeDirectory()
        .Bundle("tools", "1.0.0",
            Some.Command("echo", "when command is tools:echo allow"),
            Some.Command("secret", "when command is tools:secret must have tools:admin"));

    readonly FakeExecutor _executor = new FakeExecutor().On("tools:echo", FakeExecutor.Echo).On("tools:secret", FakeExecutor.Echo);
    readonly CollectingAudit _audit = new();
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    PipelineEngine Engine() => new(_directory, _executor, _audit, _time, PipelineEngineOptions.Default);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Arguments(int count) => new StringBuilder("echo").Insert(4, " a", count).ToString();

    [Fact]
    public async Task A_pipeline_longer_than_the_text_limit_fails_planning_at_the_first_character_past_it_and_runs_nothing()
    {
        var outcome = await Engine().RunAsync(Some.Request(Arguments(32_767)), Ct);

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Equal("The pipeline is 65,538 characters long; the limit is 65,536.", outcome.Message);
        Assert.Equal((1, 65_537), (outcome.Position?.Line, outcome.Position?.Column));
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task The_half_million_argument_pipeline_of_the_report_is_refused()
    {
        var outcome = await Engine().RunAsync(Some.Request(Arguments(520_000)), Ct);

        Assert.Equal("The pipeline is 1,040,004 characters long; the limit is 65,536.", outcome.Message);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task A_pipeline_at_the_argument_limit_is_planned_and_runs()
    {
        var outcome = await Engine().RunAsync(Some.Request(Arguments(10_000)), Ct);

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal(10_000, Assert.Single(_executor.Calls).Input.Arguments.Length);
    }

    [Fact]
    public async Task The_engines_limits_apply()
    {
        var engine = new PipelineEngine(_directory, _executor, _audit, _time,
            PipelineEngineOptions.Default with { Limits = new() { MaxStages = 2 } });

        var outcome = await engine.RunAsync(Some.Request("echo a | echo b | echo c"), Ct);

        Assert.Equal(("Too many commands in one pipeline; the limit is 2.", 19), (outcome.Message, outcome.Position?.Column));
    }

    [Fact]
    public async Task A_kill_during_planning_stops_it_with_the_killed_outcome()
    {
        var running = new RunningPipelines(_time);
        var request = Some.Request("echo a | secret b") with { PipelineId = "p-1" };
        using var lease = running.Start("p-1", request, Ct);
        RunningPipeline? listedWhilePlanning = null;
        _directory.WhilePlanning = () =>
        {
            listedWhilePlanning = running.Find("p-1");
            running.Kill("p-1");
        };

        var outcome = await Engine().RunAsync(request, lease.Token);

        Assert.NotNull(listedWhilePlanning);
        Assert.Equal((PipelineStatus.ExecutionFailed, "Pipeline p-1 was killed."), (outcome.Status, outcome.Message));
        Assert.Empty(_audit.Of<InvocationDecided>());
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task The_deadline_passing_during_planning_stops_it_with_the_deadline_outcome()
    {
        _directory.WhilePlanning = () => _time.Advance(TimeSpan.FromSeconds(31));

        var outcome = await Engine().RunAsync(Some.Request("echo a | secret b") with { Deadline = TimeSpan.FromSeconds(30) }, Ct);

        Assert.Equal("The pipeline did not finish within its time limit of 30 seconds and was stopped.", outcome.Message);
        Assert.Empty(_audit.Of<InvocationDecided>());
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task An_explanation_stops_when_cancelled_during_planning()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _directory.WhilePlanning = cancel.Cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine().ExplainAsync(Some.Request("echo a | secret b"), cancel.Token));
        Assert.Empty(_audit.Events);
    }
}
