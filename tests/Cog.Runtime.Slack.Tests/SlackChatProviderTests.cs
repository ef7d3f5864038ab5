using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Testing.Slack;

namespace Cog.Runtime.Slack.Tests;

/// <summary>The provider against the fake Slack: identity, messages in, replies out.</summary>
public sealed class SlackChatProviderTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_signs_in_with_the_bot_token_and_opens_socket_mode_with_the_app_token()
    {
        await using var h = await SlackHarness.StartAsync();

        Assert.Equal("@cog", h.Provider.BotMention);
        Assert.Equal("slack", h.Provider.Name);
        Assert.Equal("Bearer " + FakeSlackServer.BotToken, Assert.Single(h.Slack.CallsTo("auth.test")).Authorization);
        var open = Assert.Single(h.Slack.CallsTo("apps.connections.open"));
        Assert.Equal(("Bearer " + FakeSlackServer.AppToken, "POST"), (open.Authorization, open.Verb));
        Assert.True(Assert.Single(h.Slack.Sockets).SaidHello);
        Assert.Contains("Slack: signed in to team Fake Team as @cog (user UCOGBOT01, bot BCOGBOT01).", h.Logs.Texts);
    }

    [Fact]
    public async Task A_message_is_acknowledged_on_its_socket_and_delivered_with_its_sender_and_room()
    {
        await using var h = await SlackHarness.StartAsync();

        var delivery = await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo hello");

        var message = Assert.Single(await h.Inbox.WaitForAsync(1));
        Assert.Equal(new ChatMessage("slack", delivery.Ts!, new ChatRoom("C0GENERAL", "general", false),
            new ChatUser("U0ALICE01", "alice", "Alice", "Liddell", "alice@example.com"), "!echo hello"), message);
        await h.Slack.WaitUntilAsync(() => h.Slack.Acks.Count == 1, "the ack");
        var ack = Assert.Single(h.Slack.Acks);
        Assert.Equal((1, AckOutcome.Accepted, false), (ack.Socket, ack.Outcome, ack.HasPayload));
    }

    [Fact]
    public async Task A_direct_message_is_in_the_direct_room()
    {
        await using var h = await SlackHarness.StartAsync();
        var dm = await h.Provider.OpenDirectAsync(new ChatUser("U0ALICE01", "alice"), Token);

        await h.Slack.UserSaysAsync(dm.Id, "U0ALICE01", "echo hi");

        var message = Assert.Single(await h.Inbox.WaitForAsync(1));
        Assert.Equal((new ChatRoom(dm.Id, "direct", true), "echo hi", false), (message.Room, message.Text, message.AddressedToBot));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_mention_seen_as_app_mention_and_as_message_reaches_cog_once_without_the_mention(bool mentionFirst)
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Slack.MentionAsync("C0GENERAL", "U0ALICE01", "<@UCOGBOT01>: echo hi", mentionFirst);
        await h.Slack.UserSaysAsync("C0GENERAL", "U0BOB0001", "sentinel");

        var messages = await h.Inbox.WaitForAsync(2);
        Assert.Equal([("echo hi", true), ("sentinel", false)], messages.Select(m => (m.Text, m.AddressedToBot)));
        await h.Slack.WaitUntilAsync(() => h.Slack.Acks.Count == 3, "three acks");
        Assert.Single(h.Inbox.Messages, m => m.Text == "echo hi");
    }

    [Fact]
    public async Task Text_is_normalised_mentions_channels_links_and_entities()
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01",
            "!ping <@U0BOB0001> in <#C0GENERAL|general> and <#C0GENERAL> see <https://example.com/a?b=1&amp;c=2|example.com> <http://foo.com> &lt;3 &amp; <!here> <mailto:a@b.c|a@b.c>");

        var message = Assert.Single(await h.Inbox.WaitForAsync(1));
        Assert.Equal("!ping @bob in #general and #general see example.com http://foo.com <3 & @here a@b.c", message.Text);
    }

    [Fact]
    public async Task The_bots_own_messages_other_bots_previews_and_notices_are_ignored()
    {
        await using var h = await SlackHarness.StartAsync();
        var room = new ChatRoom("C0GENERAL", "general", false);

        // The fake echoes the bot's own post back as a message event with its bot_id, as Slack does.
        await h.Provider.SendAsync(room, new ChatReply(ReplyDocument.FromText("!echo loop")), Token);
        await h.Slack.PushEventAsync(new() { ["type"] = "message", ["channel"] = "C0GENERAL", ["user"] = "U0OTHERBT", ["bot_id"] = "B0OTHER01", ["text"] = "!echo bot", ["ts"] = "1.1" });
        await h.Slack.PushEventAsync(new() { ["type"] = "message", ["subtype"] = "bot_message", ["channel"] = "C0GENERAL", ["bot_id"] = "B0HOOK001", ["text"] = "!echo hook", ["ts"] = "1.2" });
        await h.Slack.PushEventAsync(new() { ["type"] = "message", ["subtype"] = "channel_join", ["channel"] = "C0GENERAL", ["user"] = "U0BOB0001", ["text"] = "!joined", ["ts"] = "1.3" });
        await h.Slack.PushEventAsync(new()
        {
            ["type"] = "message", ["subtype"] = "message_changed", ["hidden"] = true, ["channel"] = "C0GENERAL", ["ts"] = "1.5",
            ["message"] = new System.Text.Json.Nodes.JsonObject { ["user"] = "U0BOB0001", ["text"] = "!echo unfurl", ["ts"] = "1.4" },
            ["previous_message"] = new System.Text.Json.Nodes.JsonObject { ["user"] = "U0BOB0001", ["text"] = "!echo unfurl", ["ts"] = "1.4" },
        });
        await h.Slack.UserSaysAsync("C0GENERAL", "U0BOB0001", "sentinel");

        await h.Inbox.WaitForAsync(1);
        await h.Slack.WaitUntilAsync(() => h.Slack.Acks.Count == 6, "six acks");
        Assert.Equal(["sentinel"], h.Inbox.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task An_edit_arrives_as_an_edited_message_with_the_new_text()
    {
        await using var h = await SlackHarness.StartAsync();
        var original = await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!ehco hi");

        await h.Slack.EditAsync("C0GENERAL", "U0ALICE01", original.Ts!, "!ehco hi", "!echo hi");

        var messages = await h.Inbox.WaitForAsync(2);
        Assert.Equal([("!ehco hi", false), ("!echo hi", true)], messages.Select(m => (m.Text, m.Edited)));
        Assert.Equal(original.Ts, messages[1].Id);
    }

    [Fact]
    public async Task A_message_in_a_thread_carries_the_thread_and_the_reply_goes_there()
    {
        await using var h = await SlackHarness.StartAsync();
        var parent = await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "deploy thread");

        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo in thread", parent.Ts);
        var message = Assert.Single(await h.Inbox.WaitForAsync(2), m => m.Text == "!echo in thread");
        await h.Provider.SendAsync(message.Room, new ChatReply(ReplyDocument.FromText("in thread"), message.ThreadId), Token);

        Assert.Equal(parent.Ts, message.ThreadId);
        var post = Assert.Single(await h.Slack.WaitForPostsAsync(1));
        Assert.Equal(("C0GENERAL", parent.Ts, "in thread"), (post.Channel, post.ThreadTs, post.Text));
        Assert.Null(h.Inbox.Messages[0].ThreadId);
    }

    [Fact]
    public async Task Replies_are_posted_as_json_with_the_bot_token_escaped_and_without_unfurls()
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Provider.SendAsync(new ChatRoom("C0GENERAL", "general", false), new ChatReply(ReplyDocument.FromText("a < b & c > d")), Token);

        var call = Assert.Single(h.Slack.CallsTo("chat.postMessage"));
        Assert.Equal(("POST", "json", "Bearer " + FakeSlackServer.BotToken), (call.Verb, call.Encoding, call.Authorization));
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        Assert.Equal("a &lt; b &amp; c &gt; d", Assert.Single(h.Slack.Posts).Text);
        Assert.False(call.Arguments["unfurl_links"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Start_with_a_refused_bot_token_throws_and_connects_nothing()
    {
        await using var h = await SlackHarness.StartAsync(tune: o => SlackHarness.FastOptions(o.ApiUrl, botToken: "xoxb-wrong-secret-bot"), start: false);

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.StartAsync(h.Inbox, Token));

        Assert.Equal("Slack refused auth.test: invalid_auth.", e.Message);
        Assert.Empty(h.Slack.CallsTo("apps.connections.open"));
    }
}
