using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Testing.Chat;

namespace Cog.Runtime.Tests.Chat;

/// <summary>Cog 1.0 with several providers: every target resolved before anything runs; output only to the
/// targets; errors only to the origin; one failed delivery does not stop the others.</summary>
public sealed class ChatDestinationsTests : IAsyncLifetime
{
    ChatWorld _world = null!;
    ChatUser _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await ChatWorld.StartAsync();
        _alice = await _world.PersonAsync("alice");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    FakeChatProvider Slack => _world.Slack;

    FakeChatProvider Web => _world.Web;

    async Task<IReadOnlyList<SentReply>> RunAsync(string text, int replies = 1, string? threadId = null)
    {
        await Slack.SayAsync(_alice, _world.Ops, text, threadId: threadId);
        await Eventually(() => Slack.Sent.Count + Web.Sent.Count >= replies);
        await _world.IdleAsync();
        return [.. Slack.Sent, .. Web.Sent];
    }

    static Task Eventually(Func<bool> condition) => Testing.Eventually.TrueAsync(condition, "the replies");

    [Fact]
    public async Task A_room_target_gets_the_output_and_the_origin_nothing()
    {
        var audit = Slack.AddRoom("audit");

        var sent = await RunAsync("!echo hi > #audit", threadId: "t-1");

        var reply = Assert.Single(sent);
        Assert.Equal((audit, "hi", (string?)null), (reply.Room, reply.Text, reply.ThreadId));
    }

    [Fact]
    public async Task Here_among_several_targets_also_answers_in_place_in_the_thread()
    {
        var audit = Slack.AddRoom("audit");

        var sent = await RunAsync("!echo hi *> here #audit", 2, threadId: "t-1");

        Assert.Equal([(_world.Ops.Id, "t-1"), (audit.Id, null)], sent.Select(s => (s.Room.Id, s.ThreadId)));
        Assert.All(sent, s => Assert.Equal("hi", s.Text));
    }

    [Fact]
    public async Task Me_is_the_direct_conversation_with_the_sender()
    {
        var sent = await RunAsync("!echo hi > me");

        Assert.Equal(FakeChatProvider.DirectWith(_alice), Assert.Single(sent).Room);
    }

    [Fact]
    public async Task At_user_and_a_bare_user_name_are_direct_conversations_with_that_person()
    {
        var bob = Slack.AddUser("bob");
        var carol = Slack.AddUser("carol");

        var sent = await RunAsync("!echo hi *> @bob carol", 2);

        Assert.Equal([FakeChatProvider.DirectWith(bob), FakeChatProvider.DirectWith(carol)], sent.Select(s => s.Room));
    }

    [Fact]
    public async Task A_bare_name_is_a_room_first()
    {
        var audit = Slack.AddRoom("audit");
        Slack.AddUser("audit");

        var sent = await RunAsync("!echo hi > audit");

        Assert.Equal(audit, Assert.Single(sent).Room);
    }

    [Fact]
    public async Task Chat_scheme_targets_are_on_the_origins_provider()
    {
        var audit = Slack.AddRoom("audit");

        var sent = await RunAsync("!echo hi > chat://#audit");

        Assert.Equal(audit, Assert.Single(sent).Room);
    }

    [Fact]
    public async Task Multi_target_output_reaches_rooms_and_people_on_two_providers()
    {
        var general = Web.AddRoom("general");
        var webAlice = Web.AddUser("alice", id: "alice");
        var audit = Slack.AddRoom("audit");

        var sent = await RunAsync("!echo hi *> slack://#audit web://#general web://@alice here", 4);

        Assert.Equal([audit, _world.Ops], Slack.Sent.Select(s => s.Room));
        Assert.Equal([general, FakeChatProvider.DirectWith(webAlice)], Web.Sent.Select(s => s.Room));
        Assert.All(sent, s => Assert.Equal("hi", s.Text));
    }

    [Fact]
    public async Task Me_on_another_provider_is_the_senders_handle_there()
    {
        var webAlice = await _world.PersonAsync("alice", Web);

        await RunAsync("!echo hi > web://me");

        Assert.Equal(FakeChatProvider.DirectWith(webAlice), Assert.Single(Web.Sent).Room);
    }

    [Theory]
    [InlineData("!echo hi *> here #ops ops")]
    [InlineData("!echo hi *> #ops here")]
    public async Task The_origin_room_named_several_times_gets_one_reply_in_the_thread(string text)
    {
        var sent = await RunAsync(text, threadId: "t-1");

        var reply = Assert.Single(sent);
        Assert.Equal((_world.Ops, "t-1"), (reply.Room, reply.ThreadId));
    }

    [Fact]
    public async Task Invalid_targets_stop_the_pipeline_before_anything_runs_and_are_all_listed_to_the_origin_with_hints()
    {
        Slack.AddRoom("private", member: false);
        Slack.AddRoom("twin");
        Slack.AddRoom("twin");

        var sent = await RunAsync("!echo hi *> #nope #private @ghost twin irc://#x nowhere", threadId: "t-1");

        var reply = Assert.Single(sent);
        Assert.Equal((_world.Ops, "t-1", ReplyKind.Error), (reply.Room, reply.ThreadId, reply.Kind));
        Assert.Equal(
            "No commands were executed because the following redirects are invalid: #nope, #private, @ghost, twin, irc://#x, nowhere\n"
            + "Additionally, the bot must be invited to these rooms before Cog can redirect to them: #private\n"
            + "The following redirects are ambiguous; please refer to users and rooms according to the conventions of your chat provider (e.g. `@user`, `#room`): twin\n"
            + "These redirects name a chat provider that is not running: irc://#x (running: slack, web)",
            reply.ErrorMessage);
        Assert.Equal(("@alice", "echo hi *> #nope #private @ghost twin irc://#x nowhere"), (reply.Field("Caller"), reply.Field("Pipeline")));
        Assert.NotNull(reply.Field("Failed Planning"));
        Assert.Empty(await _world.AuditAsync("invocation.decided"));
        Assert.Empty(await _world.AuditAsync("invocation.completed"));
    }

    [Fact]
    public async Task An_alias_that_brings_an_invalid_redirect_stops_before_anything_runs()
    {
        await RunAsync("!alias create to-nowhere \"echo hi > #nope\"");

        await Slack.SayAsync(_alice, _world.Ops, "!to-nowhere");
        await Eventually(() => Slack.Sent.Count >= 2);
        await _world.IdleAsync();

        var reply = Slack.Sent[1];
        Assert.Equal((_world.Ops, ReplyKind.Error), (reply.Room, reply.Kind));
        Assert.Equal("No commands were executed because the following redirects are invalid: #nope", reply.ErrorMessage);
        Assert.Equal(2, Slack.Sent.Count);
        Assert.Empty(Web.Sent);
        Assert.DoesNotContain(await _world.AuditAsync("invocation.decided"), r => r.Command == "operable:echo hi");
    }

    [Fact]
    public async Task A_provider_that_cannot_be_asked_makes_its_targets_invalid()
    {
        Web.FailLookups = true;

        var sent = await RunAsync("!echo hi *> here web://#general");

        var reply = Assert.Single(sent);
        Assert.Equal((_world.Ops, ReplyKind.Error), (reply.Room, reply.Kind));
        Assert.Equal(
            "No commands were executed because the following redirects are invalid: web://#general\n"
            + "The chat provider could not be reached to look these redirects up: web://#general",
            reply.ErrorMessage);
    }

    [Fact]
    public async Task A_failed_delivery_does_not_stop_the_others_and_is_reported_to_the_origin()
    {
        var audit = Slack.AddRoom("audit");
        var general = Web.AddRoom("general");
        Slack.FailSendsTo = room => room.Id == audit.Id;

        await RunAsync("!echo hi *> #audit web://#general here", 2, threadId: "t-2");

        Assert.Equal(general, Assert.Single(Web.Sent).Room);
        Assert.Equal([("hi", ReplyKind.Output, "t-2"), ("The output could not be delivered to: #audit", ReplyKind.Error, "t-2")],
            Slack.SentTo(_world.Ops).Select(s => (s.Text, s.Kind, s.ThreadId)));
        Assert.Contains(_world.DeliveryLog.Warnings, l => l.Contains("#audit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Early_exit_goes_to_the_origin_only()
    {
        var audit = Slack.AddRoom("audit");

        var sent = await RunAsync("!seed '[{\"a\": 1}]' | filter --path=a --matches=2 > #audit");

        var reply = Assert.Single(sent);
        Assert.Equal((_world.Ops, "Pipeline executed successfully, but no output was returned"), (reply.Room, reply.Text));
        Assert.Empty(Slack.SentTo(audit));
    }
}
