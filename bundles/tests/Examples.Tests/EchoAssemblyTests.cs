using Cog.Sdk.Testing;

namespace Examples.Tests;

/// <summary>bundles/examples/echo-assembly: commands as classes of a plug-in assembly (built into its lib/ folder).</summary>
public sealed class EchoAssemblyTests : IAsyncLifetime
{
    static readonly TestUser Anyone = new("alice");

    BundleTestHost _cog = null!;

    public async ValueTask InitializeAsync() => _cog = await BundleTestHost.LoadAsync(Examples.Folder("echo-assembly"), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _cog.DisposeAsync();

    [Fact]
    public async Task Repeat_repeats_its_arguments()
    {
        var run = await _cog.RunAsync("echo-assembly:repeat --upper hi there", Anyone, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("HI THERE", run.SingleItem().GetProperty("body").GetString());
        // No template of its own: a body of text is shown as text.
        Assert.Equal("HI THERE", run.Reply.PlainText.Trim());
    }

    [Fact]
    public async Task Tally_counts_the_items_piped_into_it()
    {
        var run = await _cog.RunAsync("""seed '[{"n":1},{"n":2}]' | echo-assembly:tally""", Anyone, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, run.SingleItem().GetProperty("count").GetInt32());
    }
}
