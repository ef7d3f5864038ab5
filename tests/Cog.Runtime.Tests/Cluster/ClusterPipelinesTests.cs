using Cog.Runtime.Cluster;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;
using Cog.Testing;
using Cog.Testing.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Cluster;

/// <summary>A kill reaches the pipeline in whichever server runs it, through the server bus.</summary>
public sealed class ClusterPipelinesTests : IDisposable
{
    readonly FakeTimeProvider _time = new();
    readonly InMemoryServerBuses _buses = new();
    readonly RunningPipelines _runningA;
    readonly RunningPipelines _runningB;
    readonly ClusterPipelines _a;
    readonly ClusterPipelines _b;
    readonly CollectingLoggerFactory _log = new();

    public ClusterPipelinesTests()
    {
        (_runningA, _runningB) = (new RunningPipelines(_time), new RunningPipelines(_time));
        _a = new ClusterPipelines(_runningA, _buses.For("cog-a"), _time, _log.CreateLogger<ClusterPipelines>());
        _b = new ClusterPipelines(_runningB, _buses.For("cog-b"), _time, _log.CreateLogger<ClusterPipelines>());
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static PipelineHistoryEntry Entry(string id, string? instance, PipelineState state = PipelineState.Running) =>
        new(id, "u-1", 1, "sleep 30", null, "http", 0, state, DateTimeOffset.UnixEpoch, null) { Instance = instance };

    [Fact]
    public async Task A_pipeline_running_in_another_server_is_killed_there()
    {
        using var lease = _runningB.Start("p-1", Some.Request("sleep 30"), Ct);

        var kill = await _a.KillAsync(Entry("p-1", "cog-b"), Ct);

        Assert.Equal(PipelineKill.Killed, kill);
        Assert.True(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_pipeline_running_here_is_killed_without_asking_anyone()
    {
        using var lease = _runningA.Start("p-2", Some.Request("sleep 30"), Ct);

        Assert.Equal(PipelineKill.Killed, await _a.KillAsync(Entry("p-2", "cog-a"), Ct));
        Assert.True(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_pipeline_its_server_no_longer_runs_is_not_running()
    {
        Assert.Equal(PipelineKill.NotRunning, await _a.KillAsync(Entry("p-3", "cog-b"), Ct));
        Assert.Equal(PipelineKill.NotRunning, await _a.KillAsync(Entry("p-3", "cog-b", PipelineState.Finished), Ct));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_reported_after_the_answer_timeout()
    {
        var kill = _a.KillAsync(Entry("p-4", "cog-gone"), Ct);
        Assert.False(kill.IsCompleted);

        _time.Advance(ClusterPipelines.DefaultAnswerTimeout);

        Assert.Equal(PipelineKill.OwnerSilent, await kill);
    }

    [Fact]
    public async Task A_request_for_a_third_server_is_left_to_it()
    {
        using var lease = _runningB.Start("p-5", Some.Request("sleep 30"), Ct);

        var kill = _a.KillAsync(Entry("p-5", "cog-c"), Ct);
        _time.Advance(ClusterPipelines.DefaultAnswerTimeout);

        Assert.Equal(PipelineKill.OwnerSilent, await kill);
        Assert.False(lease.Token.IsCancellationRequested);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _log.Dispose();
    }
}
