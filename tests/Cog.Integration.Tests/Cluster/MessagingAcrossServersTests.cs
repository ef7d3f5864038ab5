using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Cog.Integration.Tests.Server;
using Cog.Runtime.Audit;
using Cog.Testing.Slack;
using Microsoft.Extensions.Logging;

namespace Cog.Integration.Tests.Cluster;

/// <summary>Two servers on one PostgreSQL database and one broker (<see cref="ServerPair"/>), both connected to one fake
/// Slack over Socket Mode, with the dev relay of the first: the workspace of <see cref="MessagingAcrossServersTests"/>.</summary>
/// <remarks>The fake delivers each envelope to one live socket (round-robin) and an unacknowledged one again after 1 s to
/// another socket, so with one socket per server a redelivery reaches the other server. alice has a Cog account with
/// her Slack handle.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MessagingPair(PostgresCluster postgres) : IAsyncLifetime
{
    public const string General = "C0GENERAL", Barrier = "C0BARRIER", AliceId = "U0ALICE";

    FakeSlackServer? _slack;
    ServerPair? _pair;

    public FakeSlackServer Slack => _slack ?? throw new InvalidOperationException("The pair is not started.");

    internal ServerPair Pair => _pair ?? throw new InvalidOperationException("The pair is not started.");

    public async ValueTask InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions { AckDeadline = TimeSpan.FromSeconds(1) });
        _slack.AddUser(AliceId, "alice", "alice@example.com", "Alice", "Archer");
        _slack.AddChannel(Barrier, "barrier");
        _pair = await ServerPair.StartAsync(postgres, (options, _) =>
        {
            options.Chat.Slack.Enabled = true;
            options.Chat.Slack.AppToken = FakeSlackServer.AppToken;
            options.Chat.Slack.BotToken = FakeSlackServer.BotToken;
            options.Chat.Slack.ApiUrl = _slack.ApiUrl.ToString();
            options.Chat.Web.Enabled = false;
        });
        var (created, user) = await Pair.First.SendAsync(HttpMethod.Post, "/v1/users",
            new { user = new { username = "alice", email_address = "alice@example.com", password = "pa55-word" } });
        Assert.True(created == HttpStatusCode.Created, user.ToString());
        var (attached, handle) = await Pair.First.SendAsync(HttpMethod.Post, "/v1/users/alice/chat_handles",
            new { chat_handle = new { chat_provider = "slack", handle = "alice" } });
        Assert.True(attached == HttpStatusCode.Created, handle.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_pair is not null)
            await _pair.DisposeAsync();
        if (_slack is not null)
            await _slack.DisposeAsync();
    }
}

/// <summary>
/// Chat, relays and the audit chain with two servers active at once: every Slack message is answered once whichever
/// server Slack gives it to (and again to the other); relay results reach the server that dispatched, the other ignores
/// them quietly; both servers append to one audit chain that verifies.
/// </summary>
/// <remarks>"Nothing else was posted" is proven with a barrier per live socket, not a sleep: once every event has been
/// acknowledged on some delivery (redeliveries received), each server's provider handles its events one at a time in
/// arrival order, so once the barrier sent to each socket is answered, every earlier
/// event of both servers has been received; once neither chat service has a message in flight, every reply is posted.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MessagingAcrossServersTests(MessagingPair world) : IClassFixture<MessagingPair>
{
    static int s_names;

    FakeSlackServer Slack => world.Slack;

    ServerEnvironment First => world.Pair.First;

    ServerEnvironment Second => world.Pair.Second;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    static string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref s_names)}";

    static string NextTs() => "1900000000." + Interlocked.Increment(ref s_names).ToString("D6", CultureInfo.InvariantCulture);

    static JsonObject MessageEvent(string channel, string text, string ts) => new()
    {
        ["type"] = "message", ["channel"] = channel, ["channel_type"] = "channel", ["user"] = MessagingPair.AliceId, ["text"] = text,
        ["ts"] = ts, ["event_ts"] = ts, ["team"] = FakeSlackServer.TeamId,
    };

    /// <summary>Waits until each server holds one live socket (a dropped one is replaced after a back-off).</summary>
    Task BothServersConnectedAsync() =>
        Slack.WaitUntilAsync(() => Slack.LiveSockets.Count(static s => s.SaidHello) == 2, "one live socket per server", TimeSpan.FromSeconds(30));

    /// <summary>The posts since <paramref name="mark"/> once both servers have handled every earlier event (see the
    /// remarks), without the barriers'.</summary>
    async Task<List<PostedMessage>> SettledPostsSinceAsync(int mark)
    {
        await BothServersConnectedAsync();
        // A delivery unread on a socket that died is given again after the acknowledgement deadline, possibly after
        // the barriers: they go once every event has been acknowledged on some delivery.
        await Slack.WaitUntilAsync(Slack.EveryEventAcknowledged, "every event acknowledged", TimeSpan.FromSeconds(30));
        var barriers = new List<string>();
        foreach (var socket in Slack.LiveSockets.Where(static s => s.SaidHello))
        {
            var barrier = Unique("barrier");
            barriers.Add(barrier);
            await Slack.PushEventAsync(MessageEvent(MessagingPair.Barrier, "!echo " + barrier, NextTs()), socket: socket);
        }
        await Slack.WaitUntilAsync(() => barriers.All(b => Slack.Posts.Any(p => p.Channel == MessagingPair.Barrier && p.Text == b)),
            "the barriers " + string.Join(", ", barriers), TimeSpan.FromSeconds(30));
        await Slack.WaitUntilAsync(() => First.Server.Chat!.InFlight == 0 && Second.Server.Chat!.InFlight == 0, "no message in flight",
            TimeSpan.FromSeconds(30));
        return [.. Slack.Posts.Skip(mark).Where(static p => p.Channel != MessagingPair.Barrier)];
    }

    [Fact]
    public async Task Fifty_mentions_spread_over_both_servers_are_each_answered_exactly_once()
    {
        await BothServersConnectedAsync();
        var mark = Slack.Posts.Count;
        var envelopes = Slack.Envelopes.Count;
        var texts = Enumerable.Range(0, 50).Select(_ => Unique("mention")).ToList();

        // Each mention is two events (app_mention and message, as Slack sends them to an app subscribed to both), each
        // given to one socket: the two halves of one message land on different servers.
        foreach (var text in texts)
            await Slack.MentionAsync(MessagingPair.General, MessagingPair.AliceId, $"<@{FakeSlackServer.BotUserId}> echo {text}");

        await Slack.WaitUntilAsync(() => texts.All(t => Slack.Posts.Skip(mark).Any(p => p.Text == t)), "an answer to every mention", TimeSpan.FromSeconds(60));
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(texts.Order(StringComparer.Ordinal), posts.Select(static p => p.Text).Order(StringComparer.Ordinal));
        Assert.All(posts, static p => Assert.Equal(MessagingPair.General, p.Channel));
        Assert.True(Slack.Envelopes.Skip(envelopes).Select(static e => e.Socket).Distinct().Count() >= 2, "the events went to one socket only");
    }

    [Fact]
    public async Task A_message_sent_to_a_socket_that_dropped_before_acknowledging_is_redelivered_to_another_and_answered_once()
    {
        await BothServersConnectedAsync();
        var mark = Slack.Posts.Count;
        var text = Unique("dropped");
        var dropped = Slack.LiveSockets.First(static s => s.SaidHello);

        dropped.Drop();
        var delivery = await Slack.PushEventAsync(MessageEvent(MessagingPair.General, "!echo " + text, NextTs()), socket: dropped);

        await Slack.WaitUntilAsync(() => Slack.Posts.Skip(mark).Any(p => p.Text == text), "the answer", TimeSpan.FromSeconds(30));
        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(text, Assert.Single(posts).Text);
        var redelivery = Assert.Single(Slack.Envelopes, e => e.EventId == delivery.EventId && e.RetryAttempt == 1);
        Assert.NotEqual(dropped.Number, redelivery.Socket);
    }

    [Fact]
    public async Task A_message_answered_by_one_server_whose_ack_was_lost_is_not_answered_again_by_the_other()
    {
        await BothServersConnectedAsync();
        // Every earlier event acknowledged, so the lost acknowledgement is this message's.
        await Slack.WaitUntilAsync(Slack.EveryEventAcknowledged, "every event acknowledged", TimeSpan.FromSeconds(30));
        var mark = Slack.Posts.Count;
        var text = Unique("lost-ack");

        Slack.LoseNextAcks(1);
        var delivery = await Slack.UserSaysAsync(MessagingPair.General, MessagingPair.AliceId, "!echo " + text);
        await Slack.WaitUntilAsync(() => Slack.Acks.Any(a => a.Outcome == AckOutcome.Accepted
                && Slack.Envelopes.Any(e => e.EnvelopeId == a.EnvelopeId && e.EventId == delivery.EventId && e.RetryAttempt == 1)),
            "the redelivery, acknowledged", TimeSpan.FromSeconds(30));

        var posts = await SettledPostsSinceAsync(mark);
        Assert.Equal(text, Assert.Single(posts).Text);
        var sockets = Slack.Envelopes.Where(e => e.EventId == delivery.EventId).OrderBy(static e => e.RetryAttempt).Select(static e => e.Socket).ToList();
        Assert.Equal(2, sockets.Distinct().Count());
    }

    [Fact]
    public async Task Pipelines_dispatched_from_both_servers_to_one_relay_all_complete_and_neither_server_complains_of_the_others_results()
    {
        await First.WaitForRelayAsync("echo-script:say ready");
        await Second.WaitForRelayAsync("echo-script:say ready");
        var logged = (First.Log.Lines.Count, Second.Log.Lines.Count);

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? First : Second).RunAsync("echo-script:say " + Unique("relay"))));

        Assert.All(runs, static run => Assert.Equal("succeeded", run.GetProperty("status").GetString()));
        // Both servers receive every relay's acks and results (one subscription each); the one that did not dispatch a
        // request ignores its messages quietly (no receipt, nothing above Debug).
        var lines = First.Log.Lines.Skip(logged.Item1).Concat(Second.Log.Lines.Skip(logged.Item2)).ToList();
        var complaints = lines.Where(static l => l.Level >= LogLevel.Warning
            && (l.Category.EndsWith(".RelayDispatcher", StringComparison.Ordinal) || l.Category.EndsWith(".MqttRelayTransport", StringComparison.Ordinal))).ToList();
        Assert.True(complaints.Count == 0, string.Join('\n', complaints));
        Assert.Contains(lines, static l => l.Level == LogLevel.Debug && l.Text.StartsWith("Ignored the result of request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Both_servers_appending_at_once_form_one_gapless_audit_chain_that_verifies_on_either()
    {
        var now = TimeProvider.System.GetUtcNow();
        var appends = Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? First : Second).Server.AuditWriter.AppendAsync(
            new AuditEntry(now, "test.concurrent", "tester", null, "ok", $$"""{"n":{{i}}}"""), Token));
        var pipelines = Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? First : Second).RunAsync("echo " + Unique("audited")));
        await Task.WhenAll([.. appends, .. pipelines]);

        var records = new List<AuditRecord>();
        await foreach (var record in First.Server.Store.Audit.ReadAllAsync(Token))
            records.Add(record);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(static i => (long)i), records.Select(static r => r.Sequence));
        Assert.All(records.Skip(1).Zip(records), static pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.Equal(200, records.Count(static r => r.Kind == "test.concurrent"));
        foreach (var server in (ServerEnvironment[])[First, Second])
        {
            var verify = await server.CogctlAsync("audit", "verify");
            Assert.True(verify.Code == 0, verify.ToString());
            Assert.StartsWith("Audit log intact:", verify.Output, StringComparison.Ordinal);
        }
    }
}
