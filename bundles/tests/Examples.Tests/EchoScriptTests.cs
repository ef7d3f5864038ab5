using Cog.Language.Rules;
using Cog.Sdk.Testing;

namespace Examples.Tests;

/// <summary>bundles/examples/echo-script: C# script commands.</summary>
public sealed class EchoScriptTests : IAsyncLifetime
{
    static readonly TestUser Anyone = new("alice");
    static readonly TestUser Sorter = new("bob", ["echo-script:order"]);

    BundleTestHost _cog = null!;

    public async ValueTask InitializeAsync() => _cog = await BundleTestHost.LoadAsync(Examples.Folder("echo-script"), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _cog.DisposeAsync();

    [Fact]
    public async Task Say_repeats_its_arguments_and_shouts_with_upper()
    {
        var plain = await _cog.RunAsync("echo-script:say hello world", Anyone, cancellationToken: TestContext.Current.CancellationToken);
        var shout = await _cog.RunAsync("echo-script:say -u hello", Anyone, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("hello world", plain.SingleItem().GetProperty("text").GetString());
        Assert.Equal("HELLO", shout.SingleItem().GetProperty("text").GetString());
    }

    [Fact]
    public async Task Order_sorts_every_item_of_its_stage_and_shows_them_as_a_table()
    {
        var run = await _cog.RunAsync("echo-script:order --by=n --desc", Sorter, new RunOptions { Input = """[{"n":1},{"n":3},{"n":2}]""" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([3, 2, 1], run.EnsureSucceeded().Items.Select(i => i.GetProperty("n").GetInt32()));
        Assert.StartsWith("3 items", run.Reply.PlainText, StringComparison.Ordinal);
        Assert.Contains("<table", run.Reply.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_needs_its_permission()
    {
        var run = await _cog.RunAsync("echo-script:order --by=n", Anyone, cancellationToken: TestContext.Current.CancellationToken);

        var refusal = run.EnsureRefused();
        Assert.Equal(RuleOutcome.Denied, refusal.Outcome);
        Assert.Equal(["echo-script:order"], refusal.Missing);
    }

    [Fact]
    public async Task Order_without_by_is_an_error_of_the_option_interpreter()
    {
        var run = await _cog.RunAsync("echo-script:order", Sorter, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(run.Succeeded);
        Assert.Contains("by", run.Message, StringComparison.Ordinal);
    }
}
