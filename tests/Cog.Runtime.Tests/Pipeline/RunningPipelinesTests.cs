using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Pipeline;

public class RunningPipelinesTests
{
    readonly RunningPipelines _pipelines = new(new FakeTimeProvider());

    [Fact]
    public void A_pipeline_is_listed_until_its_lease_ends_and_a_kill_cancels_its_token()
    {
        var lease = _pipelines.Start("p-7", Some.Request("wait"), TestContext.Current.CancellationToken);

        var listed = Assert.Single(_pipelines.List());
        Assert.Equal(("p-7", "wait", "alice"), (listed.Id, listed.Text, listed.Caller.Username));
        Assert.NotNull(_pipelines.Find("p-7"));
        Assert.True(_pipelines.Kill("p-7"));
        Assert.True(lease.Token.IsCancellationRequested);

        lease.Dispose();
        Assert.Empty(_pipelines.List());
        Assert.False(_pipelines.Kill("p-7"));
    }

    [Fact]
    public void The_callers_cancellation_reaches_the_lease()
    {
        using var caller = new CancellationTokenSource();
        using var lease = _pipelines.Start("p-1", Some.Request("wait"), caller.Token);

        caller.Cancel();

        Assert.True(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public void The_same_id_cannot_run_twice()
    {
        using var lease = _pipelines.Start("p-1", Some.Request("wait"), TestContext.Current.CancellationToken);

        Assert.Throws<ArgumentException>(() => _pipelines.Start("p-1", Some.Request("wait"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Killing_an_unknown_pipeline_says_so()
    {
        Assert.False(_pipelines.Kill("nope"));
        Assert.Null(_pipelines.Find("nope"));
    }
}
