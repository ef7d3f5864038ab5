using System.Net.WebSockets;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Testing.Slack;

namespace Cog.Runtime.Slack.Tests.SocketMode;

/// <summary>The Socket Mode lifecycle against every failure the fake injects: no event lost or doubled.</summary>
public sealed class SocketModeClientTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_duplicate_delivery_is_acknowledged_twice_and_processed_once()
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Slack.PushEventAsync(Message("!echo once", "2.1"), copies: 2);
        await h.Slack.UserSaysAsync("C0GENERAL", "U0BOB0001", "sentinel");

        await h.Inbox.WaitForAsync(2);
        await h.Slack.WaitUntilAsync(() => h.Slack.Acks.Count(a => a.Outcome == AckOutcome.Accepted) == 3, "three accepted acks");
        Assert.Equal(["!echo once", "sentinel"], h.Inbox.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task A_lost_ack_is_redelivered_with_a_retry_attempt_and_processed_once()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Slack.LoseNextAcks(1);

        var delivery = await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo retried");

        await h.Slack.WaitUntilAsync(() => h.Slack.Acks.Any(a => a.Outcome == AckOutcome.Accepted), "the redelivery's ack");
        Assert.Equal([0, 1], h.Slack.Envelopes.Where(e => e.EventId == delivery.EventId).Select(e => e.RetryAttempt));
        await h.Slack.UserSaysAsync("C0GENERAL", "U0BOB0001", "sentinel");
        await h.Inbox.WaitForAsync(2);
        Assert.Equal(["!echo retried", "sentinel"], h.Inbox.Messages.Select(m => m.Text));
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("refresh_requested")]
    public async Task A_refresh_opens_the_replacement_before_closing_the_old_socket_and_loses_nothing(string reason)
    {
        await using var h = await SlackHarness.StartAsync();
        var old = Assert.Single(h.Slack.Sockets);

        await h.Slack.DisconnectAsync(reason, old, closeAfter: TimeSpan.FromSeconds(5));
        // Delivered on the old socket during the handover: it must still be acknowledged and processed.
        await h.Slack.PushEventAsync(Message("!echo during handover", "3.1"), socket: old);

        await h.Slack.WaitUntilAsync(() => h.Slack.Sockets.Count == 2 && !old.IsOpen, "the replacement and the old socket's close");
        Assert.True(h.Slack.Sockets[1].IsOpen);
        await h.Slack.UserSaysAsync("C0GENERAL", "U0BOB0001", "after handover");
        await h.Inbox.WaitForAsync(2);
        // Both arrive; across two sockets Slack promises no order, and neither does the client.
        Assert.Equal(["!echo during handover", "after handover"], h.Inbox.Messages.Select(m => m.Text).Order(StringComparer.Ordinal));
        Assert.Equal(2, h.Slack.ConnectionOpens);
        Assert.Contains($"Slack: connection 1 asked to disconnect ({reason}); opening a replacement.", h.Logs.Texts);
    }

    [Fact]
    public async Task An_abrupt_drop_reconnects_with_a_new_ticket()
    {
        await using var h = await SlackHarness.StartAsync();

        h.Slack.Sockets[0].Drop();

        await h.Slack.WaitUntilAsync(() => h.Slack.LiveSockets.Count == 1 && h.Slack.Sockets.Count == 2, "a new socket");
        Assert.Equal(2, h.Slack.ConnectionOpens);
        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo back");
        Assert.Equal("!echo back", Assert.Single(await h.Inbox.WaitForAsync(1)).Text);
        await h.Logs.WaitForAsync("Slack: connection 1 was lost");
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure)]
    [InlineData(WebSocketCloseStatus.InternalServerError)]
    public async Task A_close_by_slack_reconnects(WebSocketCloseStatus status)
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Slack.Sockets[0].CloseAsync(status);

        await h.Slack.WaitUntilAsync(() => h.Slack.LiveSockets.Count == 1 && h.Slack.Sockets.Count == 2, "a new socket");
        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo back");
        Assert.Equal("!echo back", Assert.Single(await h.Inbox.WaitForAsync(1)).Text);
    }

    [Fact]
    public async Task Refused_handshakes_and_a_missing_hello_are_retried_with_back_off()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Slack.RefuseNextHandshakes(2, 409);
        h.Slack.WithholdHelloOnNextSocket();

        h.Slack.Sockets[0].Drop();

        await h.Slack.WaitUntilAsync(() => h.Slack.LiveSockets.Count(s => s.SaidHello) == 1 && h.Slack.Sockets.Count == 3, "a live socket after the failures", TimeSpan.FromSeconds(20));
        Assert.Equal(5, h.Slack.ConnectionOpens);
        Assert.Equal(3, h.Logs.Texts.Count(t => t.StartsWith("Slack: could not open a Socket Mode connection", StringComparison.Ordinal)));
        Assert.Contains(h.Logs.Texts, t => t.StartsWith("Slack: could not open a Socket Mode connection: no hello within 2 s.", StringComparison.Ordinal));
        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo back");
        Assert.Equal("!echo back", Assert.Single(await h.Inbox.WaitForAsync(1)).Text);
    }

    [Fact]
    public async Task A_silent_half_open_socket_is_detected_by_unanswered_pings_and_replaced()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Slack.StallNextSocket();
        h.Slack.Sockets[0].Drop();

        await h.Slack.WaitUntilAsync(() => h.Slack.Sockets.Count == 3 && h.Slack.Sockets[2].IsOpen, "the stalled socket's replacement", TimeSpan.FromSeconds(20));
        await h.Logs.WaitForAsync("Slack: connection 2 was lost");
        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo alive");
        Assert.Equal("!echo alive", Assert.Single(await h.Inbox.WaitForAsync(1)).Text);
    }

    [Fact]
    public async Task Link_disabled_waits_the_long_delay_instead_of_hot_looping()
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Slack.DisconnectAsync("link_disabled");
        await h.Logs.WaitForAsync("Socket Mode is disabled for the app (link_disabled)");
        await Task.Delay(500, Token);

        Assert.Equal(1, h.Slack.ConnectionOpens);
        await h.Slack.WaitUntilAsync(() => h.Slack.ConnectionOpens == 2 && h.Slack.LiveSockets.Count == 1, "the retry after the long delay");
    }

    [Fact]
    public async Task Too_many_websockets_closes_and_reconnects_after_a_back_off()
    {
        await using var h = await SlackHarness.StartAsync();

        await h.Slack.DisconnectAsync("too_many_websockets");

        await h.Slack.WaitUntilAsync(() => h.Slack.Sockets.Count == 2 && h.Slack.LiveSockets.Count == 1, "one live replacement");
        await h.Logs.WaitForAsync("Slack: connection 1 was lost (too_many_websockets)");
    }

    [Fact]
    public async Task A_refused_app_token_fails_the_start_and_is_not_retried()
    {
        await using var h = await SlackHarness.StartAsync(tune: o => SlackHarness.FastOptions(o.ApiUrl, appToken: "xapp-1-wrong-secret"), start: false);

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.StartAsync(h.Inbox, Token));

        Assert.Equal("Slack refused apps.connections.open: invalid_auth.", e.Message);
        await Task.Delay(300, Token);
        Assert.Single(h.Slack.CallsTo("apps.connections.open"));
        Assert.Empty(h.Slack.Sockets);
        Assert.Contains("Slack: giving up connecting: Slack refused apps.connections.open: invalid_auth.. Check the tokens (docs/slack.md).", h.Logs.Texts);
    }

    [Fact]
    public async Task Transient_connection_open_failures_are_retried()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("apps.connections.open", FakeFailure.Error("internal_error"), 2);

        await h.Provider.StartAsync(h.Inbox, Token);

        Assert.Equal(3, h.Slack.CallsTo("apps.connections.open").Count);
        Assert.Single(h.Slack.LiveSockets);
    }

    [Fact]
    public async Task Binary_malformed_and_unknown_frames_are_dropped_and_the_socket_stays()
    {
        await using var h = await SlackHarness.StartAsync();
        var socket = h.Slack.Sockets[0];

        await socket.SendBinaryAsync([1, 2, 3]);
        await h.Slack.SendRawAsync(socket, "{not json");
        await h.Slack.SendRawAsync(socket, "");
        await h.Slack.SendRawAsync(socket, """{"type":"surprise"}""");
        await h.Slack.UserSaysAsync("C0GENERAL", "U0ALICE01", "!echo still here");

        Assert.Equal("!echo still here", Assert.Single(await h.Inbox.WaitForAsync(1)).Text);
        Assert.Single(h.Slack.Sockets);
        Assert.Contains("Slack: dropped a frame on connection 1: a binary frame.", h.Logs.Texts);
        Assert.Contains("Slack: dropped a frame on connection 1: not JSON.", h.Logs.Texts);
        Assert.Contains("Slack: dropped a frame on connection 1: unknown type 'surprise'.", h.Logs.Texts);
    }

    [Fact]
    public async Task Replies_survive_a_reconnect_with_nothing_doubled()
    {
        await using var h = await SlackHarness.StartAsync();
        var room = new ChatRoom("C0GENERAL", "general", false);

        await h.Provider.SendAsync(room, new ChatReply(ReplyDocument.FromText("one")), Token);
        h.Slack.Sockets[0].Drop();
        await h.Provider.SendAsync(room, new ChatReply(ReplyDocument.FromText("two")), Token);
        await h.Slack.WaitUntilAsync(() => h.Slack.LiveSockets.Count == 1 && h.Slack.Sockets.Count == 2, "the reconnect");
        await h.Provider.SendAsync(room, new ChatReply(ReplyDocument.FromText("three")), Token);

        Assert.Equal(["one", "two", "three"], h.Slack.Posts.Select(p => p.Text));
    }

    static System.Text.Json.Nodes.JsonObject Message(string text, string ts) => new()
    {
        ["type"] = "message", ["channel"] = "C0GENERAL", ["channel_type"] = "channel", ["user"] = "U0ALICE01", ["text"] = text, ["ts"] = ts,
    };
}
