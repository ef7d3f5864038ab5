using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;

namespace Cog.Runtime.Tests.BuiltIns;

public sealed class HistoryCommandTests : IAsyncLifetime
{
    RunnerWorld _world = null!;
    PipelineCaller _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _alice = await _world.CallerAsync("alice");
        for (var i = 1; i <= 6; i++)
            await _world.RunAsync(_alice, $"echo {i}");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<string[]> History(string text)
    {
        var outcome = await _world.RunAsync(_alice, text);
        Assert.True(outcome.Status == PipelineStatus.Succeeded, outcome.Message);
        return [.. outcome.Items.Select(i => i.ToJson())];
    }

    async Task<string?> Error(string text) => (await _world.RunAsync(_alice, text)).Message;

    static string Entry(int index) => $"{{\"index\":{index},\"text\":\"echo {index}\"}}";

    [Theory]
    [InlineData("history", new[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("history --limit 2", new[] { 5, 6 })]
    [InlineData("history -l 2", new[] { 5, 6 })]
    [InlineData("history 4", new[] { 4, 5, 6 })]
    [InlineData("history 4-", new[] { 4, 5, 6 })]
    [InlineData("history 2 --limit 2", new[] { 2, 3 })]
    [InlineData("history 2-4", new[] { 2, 3, 4 })]
    [InlineData("history 4-2", new[] { 2, 3, 4 })]
    [InlineData("history 4 2", new[] { 2, 3, 4 })]
    [InlineData("history 2-5 --limit 1", new[] { 2, 3, 4, 5 })]
    [InlineData("history -3", new[] { 1, 2, 3 })]
    [InlineData("history '-3' --limit 2", new[] { 2, 3 })]
    public async Task Ranges_select_as_in_Cog_and_list_newest_first(string text, int[] indexes)
    {
        Assert.Equal(indexes.Reverse().Select(Entry), await History(text));
    }

    [Fact]
    public async Task Only_the_callers_own_pipelines_are_shown_and_not_the_history_command_itself()
    {
        var bob = await _world.CallerAsync("bob");
        await _world.RunAsync(bob, "echo bobs");

        var outcome = await _world.RunAsync(bob, "history");

        Assert.Equal(["{\"index\":1,\"text\":\"echo bobs\"}"], outcome.Items.Select(i => i.ToJson()));
    }

    [Fact]
    public async Task An_empty_history_says_so()
    {
        var carol = await _world.CallerAsync("carol");

        var outcome = await _world.RunAsync(carol, "history");

        Assert.Equal(("{\"body\":[\"Empty command history.\"]}", "text"), (Assert.Single(outcome.Items).ToJson(), outcome.Template));
    }

    [Theory]
    [InlineData("history --limit -1", "Limit must be a positive integer")]
    [InlineData("history x", "Invalid number: 'x")]
    [InlineData("history 2-y", "Invalid number: 'y")]
    [InlineData("history 1-2-3", "Invalid history index range args: [\"1-2-3\"]")]
    [InlineData("history a b", "Invalid history index range args: [\"a\", \"b\"]")]
    [InlineData("history 1 -2", "Invalid history index range args: [1, -2]")]
    public async Task Bad_ranges_get_Cogs_messages(string text, string message)
    {
        Assert.Equal(message, await Error(text));
    }
}
