using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;

namespace Cog.Runtime.Tests.BuiltIns;

public sealed class PipelineCommandsTests : IAsyncLifetime
{
    RunnerWorld _world = null!;
    PipelineCaller _alice = null!;
    PipelineCaller _bob = null!;
    PipelineCaller _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _alice = await _world.CallerAsync("alice");
        _bob = await _world.CallerAsync("bob");
        _admin = await _world.CallerAsync("root", "operable:manage_user_pipeline");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    static ObjectValue Item(PipelineOutcome outcome)
    {
        Assert.True(outcome.Status == PipelineStatus.Succeeded, outcome.Message);
        return (ObjectValue)Assert.Single(outcome.Items);
    }

    static string[] Texts(ObjectValue list) =>
        [.. ((ListValue)list.Members.Single(m => m.Key == "pipelines").Value).Items.Select(p => ((ObjectValue)p).Members.Single(m => m.Key == "text").Value.ToDisplayString())];

    [Fact]
    public async Task Pipeline_list_shows_the_callers_unfinished_pipelines_without_itself()
    {
        await _world.RunAsync(_alice, "echo done");

        var list = Item(await _world.RunAsync(_alice, "pipeline-list"));

        Assert.Equal("{\"pipeline_count\":0,\"pipelines\":[]}", list.ToJson());
    }

    [Fact]
    public async Task Pipeline_list_by_state_shows_finished_pipelines_with_Cogs_fields()
    {
        var done = await _world.RunAsync(_alice, "echo done");
        _world.Store.Time.Advance(TimeSpan.FromSeconds(2));

        var list = Item(await _world.RunAsync(_alice, "pipeline-list --state F"));

        var started = _world.Store.Time.GetUtcNow().AddSeconds(-2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"{{\"pipeline_count\":1,\"pipelines\":[{{\"id\":\"{done.PipelineId}\",\"user\":\"alice\",\"room\":\"ops\",\"provider\":\"slack\",\"server\":\"test\","
            + $"\"text\":\"echo done\",\"processed\":1,\"state\":\"finished\",\"started\":\"{started}\",\"time\":0}}]}}",
            list.ToJson());
    }

    [Fact]
    public async Task Pipeline_list_filters_by_expression_inverted_room_and_elapsed_time()
    {
        await _world.RunAsync(_alice, "echo deploy web");
        await _world.RunAsync(_alice, "echo status");

        Assert.Equal(["echo status"], Texts(Item(await _world.RunAsync(_alice, "pipeline-list -s F --last 1"))));
        Assert.Equal(["echo deploy web"], Texts(Item(await _world.RunAsync(_alice, "pipeline-list -s finished --expr deploy"))));
        Assert.Equal(["echo status"], Texts(Item(await _world.RunAsync(_alice, "pipeline-list -s F -e ^pipeline|deploy --invert"))));
        Assert.Empty(Texts(Item(await _world.RunAsync(_alice, "pipeline-list -s F --room elsewhere"))));
        Assert.Empty(Texts(Item(await _world.RunAsync(_alice, "pipeline-list -s F --elapsed-time 1"))));
    }

    [Theory]
    [InlineData("pipeline-list --user all", "You must have the operable:manage_user_pipeline permission to view pipeline history for all users.")]
    [InlineData("pipeline-list --user bob", "You must have the operable:manage_user_pipeline permission to view pipeline history for other users.")]
    [InlineData("pipeline-list --user nobody", "User 'nobody' not found")]
    [InlineData("pipeline-list --state X", "Valid state names are: R, W, F, running, waiting, finished")]
    [InlineData("pipeline-list --expr (", "Bad regular expression")]
    [InlineData("pipeline-list --last 0", "The --last option must be a positive integer.")]
    [InlineData("pipeline-info", "Not enough args. Arguments required: minimum of 1.")]
    [InlineData("pipeline-kill", "Not enough args. Arguments required: minimum of 1.")]
    public async Task Refusals_and_bad_options_get_their_messages(string text, string message)
    {
        var outcome = await _world.RunAsync(_alice, text);

        Assert.Equal((PipelineStatus.ExecutionFailed, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Other_users_pipelines_need_manage_user_pipeline()
    {
        await _world.RunAsync(_bob, "echo bobs");

        Assert.Equal(["echo bobs"], Texts(Item(await _world.RunAsync(_admin, "pipeline-list --user bob -s F"))));
        Assert.Equal(["echo bobs"], Texts(Item(await _world.RunAsync(_admin, "pipeline-list --user all -s F -e bobs"))));
        Assert.Equal(["echo bobs"], Texts(Item(await _world.RunAsync(_bob, "pipeline-list --user bob -s F"))));
    }

    [Fact]
    public async Task Pipeline_info_shows_own_pipelines_by_id_prefix_and_others_only_with_the_permission()
    {
        var bobs = await _world.RunAsync(_bob, "echo bobs");

        var own = await _world.RunAsync(_bob, $"pipeline-info {bobs.PipelineId[..8]}");
        var stranger = await _world.RunAsync(_alice, $"pipeline-info {bobs.PipelineId}");
        var admin = await _world.RunAsync(_admin, $"pipeline-info {bobs.PipelineId} nonexistent");

        Assert.Contains($"\"id\":\"{bobs.PipelineId}\"", Item(own).ToJson(), StringComparison.Ordinal);
        Assert.Equal(PipelineStatus.NoOutput, stranger.Status);
        Assert.Contains("\"user\":\"bob\"", Item(admin).ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_kill_of_an_unknown_or_finished_pipeline_kills_none()
    {
        var done = await _world.RunAsync(_alice, "echo done");

        var kill = Item(await _world.RunAsync(_alice, $"pipeline-kill {done.PipelineId} nonexistent"));

        Assert.Equal("{\"killed\":[],\"killed_text\":\"none\"}", kill.ToJson());
    }

    [Fact]
    public async Task Pipeline_kill_of_another_users_pipeline_needs_the_permission()
    {
        var sleeping = _world.RunAsync(_bob, "sleep 600");
        var running = await WaitUntilRunningAsync();

        var refused = Item(await _world.RunAsync(_alice, $"pipeline-kill {running.Id}"));
        var killed = Item(await _world.RunAsync(_admin, $"pipeline-kill {running.Id}"));

        Assert.Equal("{\"killed\":[],\"killed_text\":\"none\"}", refused.ToJson());
        Assert.Equal($"{{\"killed\":[\"{running.Id}\"],\"killed_text\":\"{running.Id}\"}}", killed.ToJson());
        Assert.Equal($"Pipeline {running.Id} was killed.", (await sleeping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Message);
    }

    async Task<RunningPipeline> WaitUntilRunningAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_world.Running.List() is [var running])
                return running;
            await Task.Delay(10, timeout.Token);
        }
    }
}
