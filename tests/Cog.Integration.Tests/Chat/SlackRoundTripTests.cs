using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Cog.Testing.Slack;

namespace Cog.Integration.Tests.Chat;

/// <summary>
/// The chat round trip (issue 5, scope 7): a person writes in Slack (the fake, over Socket Mode), the server runs the
/// pipeline as their Cog user (built-in commands in the server, bundle commands on the dev relay), and the reply comes
/// back through Slack's Web API. Each test asserts exactly what Slack received (text, blocks, channel, thread) and that
/// nothing else was posted.
/// </summary>
/// <remarks>"Nothing else" is proven with a barrier, not a sleep: once every event the fake sent has been acknowledged
/// (so a delivery lost with its socket has been given again and received), the provider hands events to the chat
/// service one at a time, in order, so once the reply to a later barrier command (in <c>#barrier</c>) is posted, every
/// earlier event (duplicates and redeliveries included) has been received; when the chat service then has no message
/// in flight, every reply of those events has been delivered.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SlackRoundTripTests(SlackWorld world) : IClassFixture<SlackWorld>
{
    const string Denied = "Sorry, you aren't allowed to execute '{0}'.\nYou will need at least one of the following permissions to run this command: '{1}'.";

    FakeSlackServer Slack => world.Slack;

    int _names;

    string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}-{world.Env.NewName("x")}";

    /// <summary>The posts since <paramref name="mark"/> once every earlier event has been handled (see the remarks),
    /// without the barrier's own.</summary>
    async Task<List<PostedMessage>> SettledPostsSinceAsync(int mark)
    {
        // An event whose delivery went unread on a socket that died is given again after the acknowledgement deadline,
        // possibly after the barrier: the barrier goes once every event has been acknowledged on some delivery.
        await Slack.WaitUntilAsync(Slack.EveryEventAcknowledged, "every event acknowledged", TimeSpan.FromSeconds(30));
        var barrier = Unique("barrier");
        await Slack.UserSaysAsync(SlackWorld.Barrier, SlackWorld.AliceId, "!echo " + barrier);
        await Slack.WaitUntilAsync(() => Slack.Posts.Any(p => p.Channel == SlackWorld.Barrier && p.Text == barrier), $"the barrier {barrier}",
            TimeSpan.FromSeconds(30));
        await Slack.WaitUntilAsync(() => world.Chat.InFlight == 0, "no message in flight", TimeSpan.FromSeconds(30));
        return [.. Slack.Posts.Skip(mark).Where(static p => p.Channel != SlackWorld.Barrier)];
    }

    /// <summary>Waits for a post in <paramref name="channel"/> whose text satisfies <paramref name="match"/>.</summary>
    Task WaitForPostAsync(string channel, Func<string, bool> match, string what, int mark) =>
        Slack.WaitUntilAsync(() => Slack.Posts.Skip(mark).Any(p => p.Channel == channel && match(p.Text)), what, TimeSpan.FromSeconds(30));

    Task WaitForPostAsync(string channel, string text, int mark) =>
        WaitForPostAsync(channel, t => t == text, $"'{text}' in {channel}", mark);

    static void AssertPost(PostedMessage post, string channel, string text, string? threadTs = null)
    {
        Assert.Equal((channel, text, threadTs), (post.Channel, post.Text, post.ThreadTs));
        Assert.Null(post.Blocks);
    }

    // ---------------------------------------------------------------- 1-3. commands and where the reply goes

    [Fact]
    public async Task A_pipeline_of_built_ins_written_in_a_channel_is_answered_there_exactly_once()
    {
        var mark = Slack.Posts.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo hello | echo $body[0]");

        await WaitForPostAsync(SlackWorld.General, "hello", mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        AssertPost(post, SlackWorld.General, "hello");
    }

    [Fact]
    public async Task A_bundle_command_runs_on_the_relay_and_its_output_is_posted()
    {
        await world.Env.WaitForRelayAsync("echo-assembly:repeat ready");
        var mark = Slack.Posts.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo-assembly:repeat --upper hi relay");

        await WaitForPostAsync(SlackWorld.General, "HI RELAY", mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        AssertPost(post, SlackWorld.General, "HI RELAY");
    }

    [Fact]
    public async Task A_command_written_in_a_thread_is_answered_in_that_thread()
    {
        var root = await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "who can tell me the time?");
        var text = Unique("threaded");
        var mark = Slack.Posts.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + text, threadTs: root.Ts);

        await WaitForPostAsync(SlackWorld.General, text, mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        AssertPost(post, SlackWorld.General, text, root.Ts);
    }

    [Fact]
    public async Task In_a_thread_only_the_origins_reply_goes_to_the_thread_and_other_rooms_get_a_top_level_message()
    {
        var root = await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "status, anyone?");
        var text = Unique("threaded-redirect");
        var mark = Slack.Posts.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, $"!echo {text} *> here #ops", threadTs: root.Ts);

        await WaitForPostAsync(SlackWorld.Ops, text, mark);
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(2, posts.Count);
        AssertPost(Assert.Single(posts, p => p.Channel == SlackWorld.General), SlackWorld.General, text, root.Ts);
        AssertPost(Assert.Single(posts, p => p.Channel == SlackWorld.Ops), SlackWorld.Ops, text);
    }

    [Fact]
    public async Task Output_redirected_to_me_opens_a_direct_conversation_where_a_message_is_all_pipeline()
    {
        var (redirected, direct) = (Unique("to-me"), Unique("direct"));
        var mark = Slack.Posts.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, $"!echo {redirected} > me");
        await WaitForPostAsync(SlackWorld.AliceDirect, redirected, mark);
        await Slack.UserSaysAsync(SlackWorld.AliceDirect, SlackWorld.AliceId, "echo " + direct);
        await WaitForPostAsync(SlackWorld.AliceDirect, direct, mark);

        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(2, posts.Count);
        AssertPost(posts[0], SlackWorld.AliceDirect, redirected);
        AssertPost(posts[1], SlackWorld.AliceDirect, direct);
        Assert.Contains(Slack.CallsTo("conversations.open"), c => c.Arguments["users"]?.GetValue<string>() == SlackWorld.AliceId);
    }

    [Fact]
    public async Task An_edited_command_is_announced_with_its_new_text_then_run_again()
    {
        var (typo, fixedText) = (Unique("typo"), Unique("fixed"));
        var mark = Slack.Posts.Count;
        var original = await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + typo);
        await WaitForPostAsync(SlackWorld.General, typo, mark);

        await Slack.EditAsync(SlackWorld.General, SlackWorld.AliceId, original.Ts!, "!echo " + typo, "!echo " + fixedText);

        await WaitForPostAsync(SlackWorld.General, fixedText, mark);
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(3, posts.Count);
        AssertPost(posts[0], SlackWorld.General, typo);
        // The announcement's wording is the edited-command template's; it names the new command.
        Assert.Equal((SlackWorld.General, (string?)null), (posts[1].Channel, posts[1].ThreadTs));
        Assert.Contains("echo " + fixedText, posts[1].Text, StringComparison.Ordinal);
        AssertPost(posts[2], SlackWorld.General, fixedText);
    }

    // ---------------------------------------------------------------- 4. a denial

    [Fact]
    public async Task A_denial_is_told_only_where_the_command_was_written()
    {
        var mark = Slack.Posts.Count;
        var denial = string.Format(CultureInfo.InvariantCulture, Denied, "echo-script:order --by=n", "echo-script:order");

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.BobId, "!echo-script:order --by=n > #ops");

        await WaitForPostAsync(SlackWorld.General, t => t.Contains(denial, StringComparison.Ordinal), "the denial", mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        Assert.Equal((SlackWorld.General, (string?)null), (post.Channel, post.ThreadTs));
        Assert.Contains(denial, post.Text, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- 5. a mention arrives twice

    [Fact]
    public async Task A_mention_delivered_as_app_mention_and_as_message_is_answered_once()
    {
        var text = Unique("mentioned");
        var mark = Slack.Posts.Count;

        await Slack.MentionAsync(SlackWorld.General, SlackWorld.AliceId, $"<@{FakeSlackServer.BotUserId}> echo {text}");

        await WaitForPostAsync(SlackWorld.General, text, mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        AssertPost(post, SlackWorld.General, text);
    }

    // ---------------------------------------------------------------- 6. the socket changes under a running pipeline

    [Fact]
    public async Task A_refresh_and_a_dropped_socket_while_a_pipeline_runs_lose_and_double_no_reply()
    {
        var (slept, during, after) = (Unique("slept"), Unique("during-refresh"), Unique("after-drop"));
        var mark = Slack.Posts.Count;
        var sockets = Slack.Sockets.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, $"!sleep 2 | echo {slept}");
        // Slack asks for a refresh: the replacement opens, says hello, and the old socket is closed by the client.
        await Slack.DisconnectAsync("refresh_requested");
        await Slack.WaitUntilAsync(() => Slack.Sockets.Count > sockets && Slack.LiveSockets is [{ SaidHello: true }],
            "the replacement socket alone", TimeSpan.FromSeconds(30));
        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + during);
        // The connection dies without a close frame: the client reconnects with a new URL.
        sockets = Slack.Sockets.Count;
        Slack.LiveSockets.Single().Drop();
        await Slack.WaitUntilAsync(() => Slack.Sockets.Count > sockets && Slack.LiveSockets is [{ SaidHello: true }],
            "a new socket after the drop", TimeSpan.FromSeconds(30));
        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + after);

        await WaitForPostAsync(SlackWorld.General, slept, mark);
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(3, posts.Count);
        Assert.Equal([after, during, slept], posts.Select(static p => p.Text).Order(StringComparer.Ordinal));
        Assert.All(posts, p => AssertPost(p, SlackWorld.General, p.Text));
    }

    [Fact]
    public async Task A_message_delivered_again_after_a_lost_acknowledgement_or_twice_is_answered_once()
    {
        var (lost, doubled) = (Unique("lost-ack"), Unique("doubled"));
        var mark = Slack.Posts.Count;

        // The acknowledgement to lose must be this message's: none for an earlier event (the echo of the bot's last
        // post, say) may still be on its way.
        await Slack.WaitUntilAsync(Slack.EveryEventAcknowledged, "every event acknowledged", TimeSpan.FromSeconds(30));
        Slack.LoseNextAcks(1);
        var first = await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + lost);
        await Slack.WaitUntilAsync(() => Slack.Envelopes.Any(e => e.EventId == first.EventId && e.RetryAttempt == 1),
            "the redelivery", TimeSpan.FromSeconds(30));
        await Slack.PushEventAsync(MessageEvent(SlackWorld.General, SlackWorld.AliceId, "!echo " + doubled, "1800000000.000001"), copies: 2);

        await WaitForPostAsync(SlackWorld.General, doubled, mark);
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(2, posts.Count);
        Assert.Equal([doubled, lost], posts.Select(static p => p.Text).Order(StringComparer.Ordinal));
        Assert.All(posts, p => AssertPost(p, SlackWorld.General, p.Text));
    }

    static JsonObject MessageEvent(string channel, string user, string text, string ts) => new()
    {
        ["type"] = "message", ["channel"] = channel, ["channel_type"] = "channel", ["user"] = user, ["text"] = text,
        ["ts"] = ts, ["event_ts"] = ts, ["team"] = FakeSlackServer.TeamId,
    };

    // ---------------------------------------------------------------- 7. redirects

    [Fact]
    public async Task A_redirect_to_several_destinations_across_providers_reaches_each_once()
    {
        var text = Unique("everywhere");
        var mark = Slack.Posts.Count;
        var webMark = world.Web.Sent.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, $"!echo {text} *> here #ops web://@admin");

        await Slack.WaitUntilAsync(() => world.Web.Sent.Count > webMark, "the reply on web", TimeSpan.FromSeconds(30));
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(2, posts.Count);
        AssertPost(Assert.Single(posts, p => p.Channel == SlackWorld.General), SlackWorld.General, text);
        AssertPost(Assert.Single(posts, p => p.Channel == SlackWorld.Ops), SlackWorld.Ops, text);
        var web = Assert.Single(world.Web.Sent.Skip(webMark));
        Assert.Equal(("D-U-admin", true, text, (string?)null), (web.Room.Id, web.Room.IsDirect, web.Text, web.ThreadId));
    }

    [Fact]
    public async Task An_invalid_destination_stops_the_pipeline_before_anything_runs_and_is_told_in_the_origin()
    {
        var (refused, control) = (Unique("refused"), Unique("control"));
        var (_, before) = await world.Env.SendAsync(HttpMethod.Get, "/v1/audit?user=alice&limit=1000", null);
        var after = before.GetProperty("audit_records").EnumerateArray().Select(static r => r.GetProperty("sequence").GetInt64()).DefaultIfEmpty(0).Max();
        var mark = Slack.Posts.Count;
        var webMark = world.Web.Sent.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, $"!echo {refused} *> #ops #nowhere");
        await WaitForPostAsync(SlackWorld.General, t => t.Contains("#nowhere", StringComparison.Ordinal), "the refusal", mark);
        // A control pipeline of the same user, so the audit query below is shown to see this user's invocations.
        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + control);
        await WaitForPostAsync(SlackWorld.General, control, mark);

        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(2, posts.Count);
        var refusal = Assert.Single(posts, p => p.Text != control);
        Assert.Equal((SlackWorld.General, (string?)null), (refusal.Channel, refusal.ThreadTs));
        Assert.Contains("No commands were executed because the following redirects are invalid: #nowhere", refusal.Text, StringComparison.Ordinal);
        Assert.Equal(webMark, world.Web.Sent.Count);
        var (status, audit) = await world.Env.SendAsync(HttpMethod.Get, $"/v1/audit?user=alice&after={after}&limit=1000", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var invocations = audit.GetProperty("audit_records").EnumerateArray()
            .Where(static r => r.GetProperty("kind").GetString()!.StartsWith("invocation.", StringComparison.Ordinal))
            .Select(static r => r.GetProperty("command").GetString()!).ToList();
        Assert.Contains(invocations, c => c.Contains(control, StringComparison.Ordinal));
        Assert.DoesNotContain(invocations, c => c.Contains(refused, StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- 8. someone Cog does not know

    [Fact]
    public async Task An_unregistered_slack_user_gets_the_unregistered_user_reply_and_nothing_runs()
    {
        var text = Unique("unknown");
        var mark = Slack.Posts.Count;

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.StrangerId, "!echo " + text);

        // The sender is mentioned the Slack way, so Slack notifies them.
        await WaitForPostAsync(SlackWorld.General, t => t.StartsWith($"<@{SlackWorld.StrangerId}>: I'm terribly sorry, but either I don't have a Cog account for you", StringComparison.Ordinal),
            "the unregistered-user reply", mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        Assert.Equal((SlackWorld.General, (string?)null), (post.Channel, post.ThreadTs));
        Assert.DoesNotContain(text, post.Text, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- 9. rate limits

    [Fact]
    public async Task A_reply_rate_limited_by_slack_is_posted_once_after_the_pause()
    {
        var text = Unique("limited");
        var mark = Slack.Posts.Count;
        var calls = Slack.CallsTo("chat.postMessage").Count;
        var injected = Slack.InjectedFailures("chat.postMessage");
        Slack.Fail("chat.postMessage", FakeFailure.RateLimited(TimeSpan.FromSeconds(1)));

        await Slack.UserSaysAsync(SlackWorld.General, SlackWorld.AliceId, "!echo " + text);

        await WaitForPostAsync(SlackWorld.General, text, mark);
        var post = Assert.Single(await SettledPostsSinceAsync(mark));
        AssertPost(post, SlackWorld.General, text);
        Assert.Equal(injected + 1, Slack.InjectedFailures("chat.postMessage"));
        // The refused attempt and the posted one for the reply; one more for the barrier.
        Assert.Equal(calls + 3, Slack.CallsTo("chat.postMessage").Count);
    }
}
