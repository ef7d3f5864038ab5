using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Pipeline;

public class RunningPipelinesTests
{
    readonly FakeDirectory _directory = new FakeDirectory().Bundle("tools", "1.0.0", Some.Command("wait", "when command is tools:wait allow"));
    readonly FakeExecutor _executor = new();
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly RunningPipelines _pipelines;

    public RunningPipelinesTests()
    {
        _executor.OnAsync("tools:wait", async (call, token) =>
        {
            _started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return FakeExecutor.Echo(call);
        });
        var time = new FakeTimeProvider();
        _pipelines = new RunningPipelines(new PipelineEngine(_directory, _executor, new CollectingAudit(), time, PipelineEngineOptions.Default), time);
    }

    [Fact]
    public async Task A_running_pipeline_is_listed_until_it_is_killed()
    {
        var running = _pipelines.RunAsync(Some.Request("wait") with { PipelineId = "p-7" }, TestContext.Current.CancellationToken);
        await _started.Task.WaitAsync(TestContext.Current.CancellationToken);

        var listed = Assert.Single(_pipelines.List());
        Assert.Equal(("p-7", "wait", "alice"), (listed.Id, listed.Text, listed.Caller.Username));
        Assert.NotNull(_pipelines.Find("p-7"));

        Assert.True(_pipelines.Kill("p-7"));
        var outcome = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Pipeline p-7 was killed.", outcome.Message);
        Assert.Empty(_pipelines.List());
        Assert.False(_pipelines.Kill("p-7"));
    }

    [Fact]
    public void Killing_an_unknown_pipeline_says_so()
    {
        Assert.False(_pipelines.Kill("nope"));
        Assert.Null(_pipelines.Find("nope"));
    }
}
