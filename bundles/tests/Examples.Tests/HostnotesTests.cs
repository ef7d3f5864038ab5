using Cog.Runtime.Pipeline;
using Cog.Sdk.Testing;

namespace Examples.Tests;

/// <summary>bundles/examples/executable-v6 (the <c>hostnotes</c> bundle): executables shipped in the bundle.</summary>
public sealed class HostnotesTests : IAsyncLifetime
{
    static readonly TestUser Anyone = new("alice");
    static readonly TestUser Waiter = new("bob", ["hostnotes:wait"]);

    BundleTestHost _cog = null!;

    public async ValueTask InitializeAsync() => _cog = await BundleTestHost.LoadAsync(Examples.Folder("executable-v6"), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _cog.DisposeAsync();

    [Fact]
    public async Task Motd_prints_the_message_kept_in_the_bundle()
    {
        var run = await _cog.RunAsync("hostnotes:motd", Anyone, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Deploys are frozen on Fridays.\nThe on-call rota is in #ops.", run.EnsureSucceeded().Reply.PlainText.Trim());
    }

    [Fact]
    public async Task Wait_says_how_long_it_waited()
    {
        var run = await _cog.RunAsync("hostnotes:wait 0", Waiter, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Waited 0 second(s).", run.EnsureSucceeded().Reply.PlainText.Trim());
    }

    [Fact]
    public async Task Wait_is_stopped_at_its_time_limit()
    {
        var run = await _cog.RunAsync("hostnotes:wait 60", Waiter, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(PipelineStatus.ExecutionFailed, run.Status);
        Assert.Equal("The command did not finish within its time limit of 2 s and was stopped.", run.Message);
    }

    [Fact]
    public async Task Wait_needs_its_permission()
    {
        var run = await _cog.RunAsync("hostnotes:wait 0", Anyone, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["hostnotes:wait"], run.EnsureRefused().Missing);
    }
}
