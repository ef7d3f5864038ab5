using Cog.Runtime.Chat;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Testing.Chat;

namespace Cog.Runtime.Tests.Chat;

public sealed class ChatServiceTests : IAsyncLifetime
{
    ChatWorld _world = null!;

    public async ValueTask InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    FakeChatProvider Slack => _world.Slack;

    [Fact]
    public async Task A_command_with_the_prefix_in_a_room_runs_and_the_output_goes_to_the_room()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "!echo hello");

        var reply = Assert.Single(await Slack.WaitForRepliesAsync());
        Assert.Equal((_world.Ops, "hello", ReplyKind.Output, (string?)null), (reply.Room, reply.Text, reply.Kind, reply.ThreadId));
    }

    [Theory]
    [InlineData("@cog echo hello")]
    [InlineData("@cog: echo hello")]
    [InlineData("@COG:echo hello")]
    public async Task A_message_starting_with_the_bot_mention_runs(string text)
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, text);

        Assert.Equal("hello", Assert.Single(await Slack.WaitForRepliesAsync()).Text);
        Assert.Equal("echo hello", Assert.Single(_world.Pipelines.Requests).Text);
    }

    [Fact]
    public async Task A_message_the_provider_says_is_for_the_bot_runs_whole()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "echo hello", addressedToBot: true);

        Assert.Equal("hello", Assert.Single(await Slack.WaitForRepliesAsync()).Text);
    }

    [Fact]
    public async Task A_direct_message_is_all_pipeline_and_is_answered_in_the_direct_conversation()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayDirectAsync(alice, "echo hello");

        var reply = Assert.Single(await Slack.WaitForRepliesAsync());
        Assert.Equal((FakeChatProvider.DirectWith(alice), "hello"), (reply.Room, reply.Text));
        var request = Assert.Single(_world.Pipelines.Requests);
        Assert.Equal(new PipelineRoom("direct", true), request.Room);
    }

    [Theory]
    [InlineData("echo hello")]
    [InlineData("!")]
    [InlineData("!   ")]
    [InlineData("@cogbot echo hello")]
    [InlineData("hey @cog echo hello")]
    public async Task Messages_not_for_the_bot_and_a_bare_prefix_are_ignored(string text)
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, text);

        Assert.Equal(0, _world.Service.InFlight);
        Assert.Empty(_world.Pipelines.Requests);
        Assert.Empty(Slack.Sent);
    }

    [Fact]
    public async Task The_caller_is_the_mapped_cog_user_on_the_provider_in_the_room()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "!echo hello");
        await Slack.WaitForRepliesAsync();

        var request = Assert.Single(_world.Pipelines.Requests);
        var user = await _world.Store.Users.FindByUsernameAsync("alice", TestContext.Current.CancellationToken);
        Assert.Equal(new PipelineCaller(user!.Id, "alice", "alice", "alice@example.com", "slack"), request.Caller);
        Assert.Equal(new PipelineRoom("ops", false), request.Room);
        Assert.IsType<DestinationPlan>(request.Destinations);
    }

    [Fact]
    public async Task A_renamed_chat_user_is_still_mapped_by_the_provider_user_id()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice with { Handle = "alice-renamed" }, _world.Ops, "!echo hello");

        Assert.Equal("hello", Assert.Single(await Slack.WaitForRepliesAsync()).Text);
        Assert.Equal("alice-renamed", Assert.Single(_world.Pipelines.Requests).Caller.ChatHandle);
    }

    [Fact]
    public async Task An_edited_message_is_announced_then_run()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "!echo again", edited: true);

        var replies = await Slack.WaitForRepliesAsync(2);
        Assert.Equal((ChatMessages.EditedCommand("@alice", "echo again"), ReplyKind.Notice), (replies[0].Text, replies[0].Kind));
        Assert.Equal(new MentionInline("slack", alice.Id, "alice"), Assert.IsType<ParagraphBlock>(Assert.Single(replies[0].Reply.Body.Blocks)).Inlines[0]);
        var (template, data) = Assert.Single(_world.Composer.Common);
        Assert.Equal(ChatMessages.EditedCommandTemplate, template);
        Assert.Equal("""{"mention":{"provider":"slack","id":"U-alice","handle":"alice"},"command":"echo again"}""", data.ToJson());
        Assert.Equal("again", replies[1].Text);
    }

    [Fact]
    public async Task Curly_quotes_become_straight_and_an_em_dash_becomes_two_dashes()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "!echo \u201Chello there\u201D \u2018x\u2014y\u2019");

        Assert.Equal("hello there x--y", Assert.Single(await Slack.WaitForRepliesAsync()).Text);
        Assert.Equal("echo \"hello there\" 'x--y'", Assert.Single(_world.Pipelines.Requests).Text);
    }

    [Fact]
    public async Task Two_bangs_repeat_the_senders_previous_pipeline()
    {
        var alice = await _world.PersonAsync("alice");
        await Slack.SayAsync(alice, _world.Ops, "!echo once more");
        await Slack.WaitForRepliesAsync();
        await _world.IdleAsync();

        await Slack.SayAsync(alice, _world.Ops, "!!");

        var replies = await Slack.WaitForRepliesAsync(2);
        Assert.Equal("once more", replies[1].Text);
        Assert.Equal("!!", _world.Pipelines.Requests.Last().Text);
    }

    [Fact]
    public async Task Two_bangs_without_history_say_so_to_the_origin()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "!!", threadId: "t-1");

        var reply = Assert.Single(await Slack.WaitForRepliesAsync());
        await _world.IdleAsync();
        Assert.Equal((_world.Ops, "No history available.", ReplyKind.Error, "t-1"), (reply.Room, reply.ErrorMessage, reply.Kind, reply.ThreadId));
        Assert.Equal(("@alice", "!!"), (reply.Field("Caller"), reply.Field("Pipeline")));
        Assert.Single(Slack.Sent);
        Assert.Empty(_world.Web.Sent);
    }

    [Fact]
    public async Task A_command_in_a_thread_is_answered_in_the_thread()
    {
        var alice = await _world.PersonAsync("alice");

        await Slack.SayAsync(alice, _world.Ops, "!echo threaded", threadId: "1700000000.000100");

        Assert.Equal("1700000000.000100", Assert.Single(await Slack.WaitForRepliesAsync()).ThreadId);
    }

    [Fact]
    public async Task A_failing_pipeline_is_reported_to_the_origin_only()
    {
        var alice = await _world.PersonAsync("alice");
        var audit = _world.Slack.AddRoom("audit");

        await Slack.SayAsync(alice, _world.Ops, "!echo $missing *> here #audit", threadId: "t-9");

        var reply = Assert.Single(await Slack.WaitForRepliesAsync());
        await _world.IdleAsync();
        Assert.Equal((_world.Ops, ReplyKind.Error, "t-9"), (reply.Room, reply.Kind, reply.ThreadId));
        Assert.Empty(Slack.SentTo(audit));
    }

    [Fact]
    public async Task An_exception_costs_one_message_only_and_is_logged()
    {
        var alice = await _world.PersonAsync("alice");
        _world.Pipelines.ThrowNext = new InvalidOperationException("boom");

        await Slack.SayAsync(alice, _world.Ops, "!echo first");
        await _world.IdleAsync();
        await Slack.SayAsync(alice, _world.Ops, "!echo second");

        Assert.Equal("second", Assert.Single(await Slack.WaitForRepliesAsync()).Text);
        Assert.Contains(_world.Log.Errors, l => l.Contains("could not be handled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_from_a_provider_that_is_not_running_are_ignored()
    {
        var stranger = new FakeChatProvider("irc");
        await stranger.StartAsync(_world.Service, TestContext.Current.CancellationToken);

        await stranger.SayAsync(stranger.AddUser("zed"), stranger.AddRoom("x"), "!echo hi");

        Assert.Empty(_world.Pipelines.Requests);
        Assert.Contains(_world.Log.Warnings, l => l.Contains("irc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Starting_starts_every_provider_and_stopping_stops_them_and_ignores_later_messages()
    {
        var alice = await _world.PersonAsync("alice");
        Assert.True(Slack.IsStarted && _world.Web.IsStarted);

        await _world.Service.StopAsync(TestContext.Current.CancellationToken);
        await Slack.SayAsync(alice, _world.Ops, "!echo late");

        Assert.False(Slack.IsStarted || _world.Web.IsStarted);
        Assert.Empty(_world.Pipelines.Requests);
    }
}
