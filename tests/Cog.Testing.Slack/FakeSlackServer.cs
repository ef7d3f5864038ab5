using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Testing.Slack;

/// <summary>A fake Slack on loopback for tests: the Web API methods a bot uses under
/// <see cref="ApiUrl"/> (token checks, argument validation, recorded calls, scripted failures) and Socket Mode on
/// <c>/link/</c> (single-use tickets, hello, envelopes with acknowledgement deadlines and redelivery, disconnect frames,
/// dropped and stalled sockets).</summary>
/// <remarks>Thread-safe. Everything it records can be read while it runs; waits fail the test with what was recorded.</remarks>
public sealed class FakeSlackServer : IAsyncDisposable
{
    /// <summary>The app-level token the fake accepts.</summary>
    public const string AppToken = "xapp-1-A0FAKE-1-appsecret0123456789";

    /// <summary>The bot token the fake accepts.</summary>
    public const string BotToken = "xoxb-1111-2222-botsecret0123456789";

    /// <summary>The bot's user id.</summary>
    public const string BotUserId = "UCOGBOT01";

    /// <summary>The bot's id.</summary>
    public const string BotId = "BCOGBOT01";

    /// <summary>The bot user's name.</summary>
    public const string BotName = "cog";

    /// <summary>The workspace.</summary>
    public const string TeamId = "T0FAKE001", AppId = "A0FAKE001";

    static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal)
    {
        "users.info", "users.list", "users.lookupByEmail", "conversations.info", "conversations.list",
    };

    static readonly HashSet<string> KnownBlockTypes = new(StringComparer.Ordinal)
    {
        "section", "header", "divider", "context", "rich_text", "table", "image", "actions",
    };

    readonly WebApplication _app;
    readonly CancellationTokenSource _shutdown = new();
    readonly ConcurrentQueue<RecordedCall> _calls = new();
    readonly ConcurrentQueue<PostedMessage> _posts = new();
    readonly ConcurrentQueue<RecordedAck> _acks = new();
    readonly ConcurrentQueue<SentEnvelope> _envelopes = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<FakeFailure>> _failures = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _injected = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, bool> _tickets = new(StringComparer.Ordinal);
    readonly List<FakeSocket> _sockets = [];
    readonly Lock _lock = new();
    readonly Dictionary<string, JsonObject> _users = new(StringComparer.Ordinal);
    readonly Dictionary<string, FakeChannel> _channels = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<int> _handshakeRefusals = new();
    int _withholdHello;
    int _stall;
    int _loseAcks;
    long _ts;
    int _ticket;
    int _events;
    int _roundRobin;
    int _connectionOpens;

    FakeSlackServer(WebApplication app, FakeSlackOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>The fake's settings.</summary>
    public FakeSlackOptions Options { get; }

    /// <summary>The Web API's base URL (<c>http://127.0.0.1:P/api/</c>).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    Uri BaseUrl { get; set; } = null!;

    /// <summary>Starts a fake on a free loopback port, with the bot in channel <c>C0GENERAL</c> (<c>general</c>).</summary>
    public static async Task<FakeSlackServer> StartAsync(FakeSlackOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeSlackServer(app, options ?? new FakeSlackOptions());
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        fake.ApiUrl = new Uri(fake.BaseUrl, "api/");
        fake.AddUser(BotUserId, BotName, isBot: true);
        fake.AddChannel("C0GENERAL", "general");
        return fake;
    }

    // ---- directory ---------------------------------------------------------------------------------------------------

    /// <summary>Adds a person (or bot) to the workspace directory.</summary>
    public void AddUser(string id, string name, string? email = null, string? firstName = null, string? lastName = null, bool isBot = false, bool deleted = false)
    {
        var realName = string.Join(' ', new[] { firstName, lastName }.Where(static n => n is not null));
        var user = new JsonObject
        {
            ["id"] = id, ["team_id"] = TeamId, ["name"] = name, ["deleted"] = deleted, ["is_bot"] = isBot, ["real_name"] = realName,
            ["profile"] = new JsonObject
            {
                ["first_name"] = firstName ?? "", ["last_name"] = lastName ?? "", ["real_name"] = realName,
                ["display_name"] = name, ["email"] = email,
            },
        };
        lock (_lock)
            _users[id] = user;
    }

    /// <summary>Adds a channel (<c>C…</c> public, <c>G…</c> private) to the workspace.</summary>
    public void AddChannel(string id, string name, bool botIsMember = true, bool archived = false)
    {
        lock (_lock)
            _channels[id] = new FakeChannel(id, name, botIsMember, IsDirect: false, archived, UserId: null);
    }

    // ---- events ------------------------------------------------------------------------------------------------------

    /// <summary>A person writes <paramref name="text"/> in <paramref name="channel"/> (a <c>message</c> event; in a
    /// thread when <paramref name="threadTs"/> is given).</summary>
    public Task<FakeDelivery> UserSaysAsync(string channel, string user, string text, string? threadTs = null)
    {
        var ts = NextTs();
        return PushEventAsync(MessageEvent("message", channel, user, text, ts, threadTs), ts);
    }

    /// <summary>A person mentions the bot: both the <c>app_mention</c> and the <c>message</c> event of the same message,
    /// as Slack sends them when the app subscribes to both.</summary>
    public async Task<FakeDelivery> MentionAsync(string channel, string user, string text, bool mentionFirst = true)
    {
        var ts = NextTs();
        var mention = MessageEvent("app_mention", channel, user, text, ts, null);
        var message = MessageEvent("message", channel, user, text, ts, null);
        var first = await PushEventAsync(mentionFirst ? mention : message, ts).ConfigureAwait(false);
        await PushEventAsync(mentionFirst ? message : mention, ts).ConfigureAwait(false);
        return first;
    }

    /// <summary>A person edits their message <paramref name="ts"/> (a <c>message_changed</c> event with an edit mark).</summary>
    public Task<FakeDelivery> EditAsync(string channel, string user, string ts, string oldText, string newText)
    {
        var editTs = NextTs();
        var evt = new JsonObject
        {
            ["type"] = "message", ["subtype"] = "message_changed", ["hidden"] = true, ["channel"] = channel,
            ["channel_type"] = ChannelType(channel), ["ts"] = editTs, ["event_ts"] = editTs,
            ["message"] = new JsonObject
            {
                ["type"] = "message", ["user"] = user, ["text"] = newText, ["ts"] = ts,
                ["edited"] = new JsonObject { ["user"] = user, ["ts"] = editTs },
            },
            ["previous_message"] = new JsonObject { ["type"] = "message", ["user"] = user, ["text"] = oldText, ["ts"] = ts },
        };
        return PushEventAsync(evt, ts);
    }

    /// <summary>Pushes an Events API event wrapped in an <c>event_callback</c> and an <c>events_api</c> envelope, to
    /// <paramref name="socket"/> or to one of the live sockets; <paramref name="copies"/> &gt; 1 delivers the same
    /// event id that many times (a duplicate delivery).</summary>
    public async Task<FakeDelivery> PushEventAsync(JsonObject evt, string? ts = null, FakeSocket? socket = null, int copies = 1)
    {
        var eventId = "Ev" + Interlocked.Increment(ref _events).ToString("D8", CultureInfo.InvariantCulture);
        var payload = new JsonObject
        {
            ["token"] = "verification-token-unused", ["team_id"] = TeamId, ["api_app_id"] = AppId, ["event"] = evt,
            ["type"] = "event_callback", ["event_id"] = eventId, ["event_time"] = 1_700_000_000,
            ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = TeamId, ["user_id"] = BotUserId, ["is_bot"] = true }),
        };
        for (var i = 0; i < copies; i++)
            await DeliverAsync(new Pending(eventId, payload, 0), socket).ConfigureAwait(false);
        return new FakeDelivery(eventId, ts);
    }

    /// <summary>Sends any text frame to a socket (malformed JSON, unknown types...).</summary>
    public Task<bool> SendRawAsync(FakeSocket socket, string text) => socket.SendTextAsync(text);

    JsonObject MessageEvent(string type, string channel, string user, string text, string ts, string? threadTs)
    {
        var evt = new JsonObject
        {
            ["type"] = type, ["channel"] = channel, ["user"] = user, ["text"] = text, ["ts"] = ts, ["event_ts"] = ts,
            ["client_msg_id"] = Guid.NewGuid().ToString(), ["team"] = TeamId,
        };
        if (type == "message")
            evt["channel_type"] = ChannelType(channel);
        if (threadTs is not null)
            evt["thread_ts"] = threadTs;
        return evt;
    }

    static string ChannelType(string channel) => channel[0] switch { 'D' => "im", 'G' => "group", _ => "channel" };

    async Task DeliverAsync(Pending pending, FakeSocket? socket, int avoid = 0)
    {
        var target = socket ?? NextLiveSocket(avoid);
        var envelopeId = Guid.NewGuid().ToString();
        pending.EnvelopeId = envelopeId;
        pending.Socket = target?.Number ?? 0;
        _pending[envelopeId] = pending;
        if (target is not null)
        {
            var frame = new JsonObject
            {
                ["envelope_id"] = envelopeId, ["type"] = "events_api", ["accepts_response_payload"] = false,
                ["retry_attempt"] = pending.Attempt, ["retry_reason"] = pending.Attempt == 0 ? "" : "timeout",
                ["payload"] = pending.Payload.DeepClone(),
            };
            _envelopes.Enqueue(new SentEnvelope(target.Number, envelopeId, pending.EventId, pending.Attempt));
            await target.SendTextAsync(frame.ToJsonString()).ConfigureAwait(false);
        }
        _ = RedeliverIfUnacknowledgedAsync(pending, envelopeId);
    }

    async Task RedeliverIfUnacknowledgedAsync(Pending pending, string envelopeId)
    {
        try
        {
            await Task.Delay(Options.AckDeadline, _shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _pending.TryRemove(envelopeId, out _);
        if (pending.Acknowledged.ContainsKey(envelopeId) || pending.Attempt >= Options.MaxRedeliveries)
            return;
        await DeliverAsync(new Pending(pending.EventId, pending.Payload, pending.Attempt + 1), null, avoid: pending.Socket).ConfigureAwait(false);
    }

    /// <summary>The next live socket, round-robin; one other than <paramref name="avoid"/> (the socket a redelivered
    /// envelope went unacknowledged on) when there is one, so that a redelivery reaches another connection — with
    /// several servers, usually another server.</summary>
    FakeSocket? NextLiveSocket(int avoid = 0)
    {
        lock (_lock)
        {
            var live = _sockets.Where(static s => s.IsOpen && s.SaidHello).ToList();
            if (live.Count > 1)
                live.RemoveAll(s => s.Number == avoid);
            return live.Count == 0 ? null : live[_roundRobin++ % live.Count];
        }
    }

    // ---- sockets -----------------------------------------------------------------------------------------------------

    /// <summary>Every socket accepted so far, in order.</summary>
    public IReadOnlyList<FakeSocket> Sockets
    {
        get
        {
            lock (_lock)
                return [.. _sockets];
        }
    }

    /// <summary>The sockets still open.</summary>
    public IReadOnlyList<FakeSocket> LiveSockets => [.. Sockets.Where(static s => s.IsOpen)];

    /// <summary>How many times <c>apps.connections.open</c> handed out a URL.</summary>
    public int ConnectionOpens => Volatile.Read(ref _connectionOpens);

    /// <summary>Sends a <c>disconnect</c> frame with <paramref name="reason"/> to <paramref name="socket"/> (or every live
    /// socket); with <paramref name="closeAfter"/>, closes it (1001) that much later, as Slack does.</summary>
    public async Task DisconnectAsync(string reason, FakeSocket? socket = null, TimeSpan? closeAfter = null)
    {
        var targets = socket is null ? LiveSockets : [socket];
        foreach (var target in targets)
        {
            var frame = new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "fake-slack" } };
            await target.SendTextAsync(frame.ToJsonString()).ConfigureAwait(false);
            if (closeAfter is { } grace)
                _ = CloseLaterAsync(target, grace);
        }
    }

    async Task CloseLaterAsync(FakeSocket socket, TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, _shutdown.Token).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The next <paramref name="count"/> WebSocket handshakes are refused with <paramref name="status"/>.</summary>
    public void RefuseNextHandshakes(int count, int status = StatusCodes.Status409Conflict)
    {
        for (var i = 0; i < count; i++)
            _handshakeRefusals.Enqueue(status);
    }

    /// <summary>The next socket never says hello.</summary>
    public void WithholdHelloOnNextSocket() => Interlocked.Exchange(ref _withholdHello, 1);

    /// <summary>The next socket says hello, then goes silent: it neither reads (so pings go unanswered) nor sends.</summary>
    public void StallNextSocket() => Interlocked.Exchange(ref _stall, 1);

    /// <summary>The next <paramref name="count"/> acknowledgements are dropped, so their envelopes are delivered again.</summary>
    public void LoseNextAcks(int count) => Interlocked.Exchange(ref _loseAcks, count);

    async Task HandleSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var ticket = context.Request.Query["ticket"].ToString();
        if (!_tickets.TryUpdate(ticket, true, false))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (_handshakeRefusals.TryDequeue(out var refusal))
        {
            context.Response.StatusCode = refusal;
            return;
        }
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        FakeSocket socket;
        int live;
        lock (_lock)
        {
            socket = new FakeSocket(_sockets.Count + 1, webSocket, context);
            _sockets.Add(socket);
            live = _sockets.Count(static s => s.IsOpen);
        }
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, context.RequestAborted);
        try
        {
            if (live > Options.MaxSockets)
            {
                await socket.SendTextAsync("""{"type":"disconnect","reason":"too_many_websockets","debug_info":{"host":"fake-slack"}}""").ConfigureAwait(false);
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                return;
            }
            if (Interlocked.Exchange(ref _withholdHello, 0) == 0)
            {
                var debugReconnects = context.Request.Query["debug_reconnects"] == "true";
                var hello = new JsonObject
                {
                    ["type"] = "hello", ["num_connections"] = live,
                    ["debug_info"] = new JsonObject
                    {
                        ["host"] = "fake-slack", ["build_number"] = 1, ["approximate_connection_time"] = debugReconnects ? 360 : 18060,
                    },
                    ["connection_info"] = new JsonObject { ["app_id"] = AppId },
                };
                socket.SaidHello = await socket.SendTextAsync(hello.ToJsonString()).ConfigureAwait(false);
            }
            if (Interlocked.Exchange(ref _stall, 0) == 1)
            {
                // Silent: no reads, so the client's pings get no pong, and nothing is sent.
                await Task.Delay(Timeout.Infinite, ended.Token).ConfigureAwait(false);
                return;
            }
            await ReadAcksAsync(socket, ended.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            socket.MarkClosed();
        }
    }

    async Task ReadAcksAsync(FakeSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.WebSocket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync().ConfigureAwait(false);
                    return;
                }
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            RecordAck(socket, message.ToArray());
        }
    }

    void RecordAck(FakeSocket socket, byte[] frame)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(frame);
        }
        catch (JsonException)
        {
            return;
        }
        if (node is not JsonObject ack || ack["envelope_id"]?.GetValueKind() != JsonValueKind.String)
            return;
        var envelopeId = ack["envelope_id"]!.GetValue<string>();
        var hasPayload = ack.ContainsKey("payload");
        if (Interlocked.Decrement(ref _loseAcks) >= 0)
        {
            _acks.Enqueue(new RecordedAck(socket.Number, envelopeId, hasPayload, AckOutcome.Lost));
            return;
        }
        Interlocked.Exchange(ref _loseAcks, 0);
        if (!_pending.TryGetValue(envelopeId, out var pending) || pending.Acknowledged.ContainsKey(envelopeId))
        {
            _acks.Enqueue(new RecordedAck(socket.Number, envelopeId, hasPayload, AckOutcome.Unknown));
            return;
        }
        if (pending.Socket != socket.Number)
        {
            _acks.Enqueue(new RecordedAck(socket.Number, envelopeId, hasPayload, AckOutcome.WrongSocket));
            return;
        }
        pending.Acknowledged[envelopeId] = true;
        _acks.Enqueue(new RecordedAck(socket.Number, envelopeId, hasPayload, AckOutcome.Accepted));
    }

    // ---- Web API -----------------------------------------------------------------------------------------------------

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> get <paramref name="failure"/>.</summary>
    public void Fail(string method, FakeFailure failure, int times = 1)
    {
        var queue = _failures.GetOrAdd(method, static _ => new ConcurrentQueue<FakeFailure>());
        for (var i = 0; i < times; i++)
            queue.Enqueue(failure);
    }

    /// <summary>How many scripted failures <paramref name="method"/> has answered with.</summary>
    public int InjectedFailures(string method) => _injected.GetValueOrDefault(method);

    /// <summary>Every Web API call so far.</summary>
    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    /// <summary>The calls of one method.</summary>
    public IReadOnlyList<RecordedCall> CallsTo(string method) => [.. _calls.Where(c => c.Method == method)];

    /// <summary>Every message the bot posted.</summary>
    public IReadOnlyList<PostedMessage> Posts => [.. _posts];

    /// <summary>Every acknowledgement received.</summary>
    public IReadOnlyList<RecordedAck> Acks => [.. _acks];

    /// <summary>Every envelope sent.</summary>
    public IReadOnlyList<SentEnvelope> Envelopes => [.. _envelopes];

    /// <summary>Whether every event sent so far has been acknowledged on one of its deliveries (so none is waiting to
    /// be given again).</summary>
    public bool EveryEventAcknowledged()
    {
        var acknowledged = Acks.Where(static a => a.Outcome is AckOutcome.Accepted).Select(static a => a.EnvelopeId).ToHashSet(StringComparer.Ordinal);
        return Envelopes.GroupBy(static e => e.EventId).All(g => g.Any(e => acknowledged.Contains(e.EnvelopeId)));
    }

    /// <summary>Waits until at least <paramref name="count"/> messages were posted (15 s by default) and returns them all;
    /// on a timeout the failure lists the posts and the calls.</summary>
    public async Task<IReadOnlyList<PostedMessage>> WaitForPostsAsync(int count, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(() => _posts.Count >= count, $"{count} posted message(s)", timeout).ConfigureAwait(false);
        return Posts;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; on a timeout the failure lists what the fake recorded.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
                Assert.Fail($"Timed out waiting for {what}.\n{Describe()}");
            await Task.Delay(10, TestContext.Current.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What the fake recorded, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("Posts:\n");
        foreach (var post in Posts)
            text.Append("  ").Append(post.Channel).Append(' ').Append(post.ThreadTs).Append(": ").Append(post.Text).Append('\n');
        text.Append("Calls: ").AppendJoin(", ", Calls.Select(static c => c.Method)).Append('\n');
        text.Append("Sockets: ").AppendJoin(", ", Sockets.Select(static s => $"{s.Number}{(s.IsOpen ? " open" : " closed")}")).Append('\n');
        text.Append("Envelopes: ").AppendJoin(", ", Envelopes.Select(static e => $"{e.EventId}#{e.RetryAttempt}@{e.Socket}")).Append('\n');
        text.Append("Acks: ").AppendJoin(", ", Acks.Select(static a => $"{a.Socket}:{a.Outcome}"));
        return text.ToString();
    }

    Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path is "/link" or "/link/")
            return HandleSocketAsync(context);
        if (path.StartsWith("/api/", StringComparison.Ordinal))
            return HandleApiAsync(context, path["/api/".Length..]);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    async Task HandleApiAsync(HttpContext context, string method)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var (encoding, arguments) = ParseArguments(request, body);
        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        _calls.Enqueue(new RecordedCall(method, request.Method, authorization, request.ContentType, encoding, arguments, body, TimeProvider.System.GetUtcNow()));

        if (_failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure))
        {
            _injected.AddOrUpdate(method, 1, static (_, n) => n + 1);
            if (await AnswerFailureAsync(context, failure).ConfigureAwait(false))
                return;
        }

        var token = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var expected = method == "apps.connections.open" ? AppToken : BotToken;
        if (token is null)
        {
            await AnswerAsync(context, Error("not_authed")).ConfigureAwait(false);
            return;
        }
        if (token != expected)
        {
            var wrongKind = method == "apps.connections.open" ? token.StartsWith("xoxb-", StringComparison.Ordinal) : token.StartsWith("xapp-", StringComparison.Ordinal);
            await AnswerAsync(context, Error(wrongKind ? "not_allowed_token_type" : "invalid_auth")).ConfigureAwait(false);
            return;
        }
        // Read methods take no JSON input: JSON-body arguments count as absent.
        if (ReadMethods.Contains(method) && encoding == "json")
            arguments = [];
        var answer = method switch
        {
            "auth.test" => Ok(new JsonObject
            {
                ["url"] = "https://fake.slack.com/", ["team"] = "Fake Team", ["user"] = BotName, ["team_id"] = TeamId,
                ["user_id"] = BotUserId, ["bot_id"] = BotId, ["is_enterprise_install"] = false,
            }),
            "apps.connections.open" => OpenConnection(),
            "chat.postMessage" => PostMessage(arguments),
            "conversations.open" => OpenConversation(arguments),
            "conversations.info" => ConversationInfo(arguments),
            "conversations.list" => ConversationList(arguments),
            "users.info" => UserInfo(arguments),
            "users.list" => UserList(arguments),
            "users.lookupByEmail" => UserByEmail(arguments),
            _ => Error("unknown_method"),
        };
        await AnswerAsync(context, answer).ConfigureAwait(false);
    }

    async Task<bool> AnswerFailureAsync(HttpContext context, FakeFailure failure)
    {
        switch (failure)
        {
            case FakeFailure.RateLimitedFailure limited:
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (limited.RetryAfter is { } after)
                {
                    context.Response.Headers.RetryAfter = limited.AsHttpDate
                        ? (TimeProvider.System.GetUtcNow() + after).ToString("R", CultureInfo.InvariantCulture)
                        : ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await AnswerAsync(context, Error("ratelimited"), keepStatus: true).ConfigureAwait(false);
                return true;
            case FakeFailure.ErrorFailure error:
                await AnswerAsync(context, Error(error.Code)).ConfigureAwait(false);
                return true;
            case FakeFailure.StatusFailure status:
                context.Response.StatusCode = status.Code;
                await context.Response.WriteAsync("Service trouble", context.RequestAborted).ConfigureAwait(false);
                return true;
            case FakeFailure.HtmlFailure:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Slack is having trouble</body></html>", context.RequestAborted).ConfigureAwait(false);
                return true;
            case FakeFailure.DelayFailure delay:
                await Task.Delay(delay.Duration, _shutdown.Token).ConfigureAwait(false);
                return false;
            case FakeFailure.ResetFailure:
                context.Abort();
                return true;
            default:
                return false;
        }
    }

    static (string Encoding, JsonObject Arguments) ParseArguments(HttpRequest request, string body)
    {
        var arguments = new JsonObject();
        foreach (var (key, value) in request.Query)
            arguments[key] = value.ToString();
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && body.Length > 0)
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject json)
                {
                    foreach (var (key, value) in json)
                        arguments[key] = value?.DeepClone();
                }
            }
            catch (JsonException)
            {
            }
            return ("json", arguments);
        }
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
                arguments[key] = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
            return (body.Length > 0 ? "form" : "query", arguments);
        }
        return ("query", arguments);
    }

    JsonObject OpenConnection()
    {
        var ticket = Interlocked.Increment(ref _ticket).ToString(CultureInfo.InvariantCulture);
        _tickets[ticket] = false;
        Interlocked.Increment(ref _connectionOpens);
        var url = new UriBuilder(BaseUrl) { Scheme = "ws", Path = "/link/", Query = $"ticket={ticket}&app_id={AppId}" }.Uri;
        return Ok(new JsonObject { ["url"] = url.ToString() });
    }

    JsonObject PostMessage(JsonObject arguments)
    {
        var channelId = Text(arguments, "channel");
        FakeChannel? channel;
        lock (_lock)
            channel = channelId is null ? null : _channels.GetValueOrDefault(channelId);
        if (channel is null)
            return Error("channel_not_found");
        if (channel.Archived)
            return Error("is_archived");
        if (!channel.BotIsMember)
            return Error("not_in_channel");
        var text = Text(arguments, "text") ?? "";
        var blocks = arguments["blocks"] switch
        {
            JsonArray array => array,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonNode.Parse(value.GetValue<string>()) as JsonArray,
            _ => null,
        };
        if (text.Length == 0 && (blocks is null || blocks.Count == 0))
            return Error("no_text");
        if (blocks is not null && ValidateBlocks(blocks) is { } invalid)
            return Error(invalid);
        var warning = text.Length > 40_000;
        if (warning)
            text = text[..40_000];
        var ts = NextTs();
        var threadTs = Text(arguments, "thread_ts");
        _posts.Enqueue(new PostedMessage(channel.Id, ts, text, blocks?.DeepClone().AsArray(), threadTs));
        var message = new JsonObject { ["type"] = "message", ["user"] = BotUserId, ["bot_id"] = BotId, ["text"] = text, ["ts"] = ts };
        if (Options.EchoBotMessages)
        {
            var echo = new JsonObject
            {
                ["type"] = "message", ["channel"] = channel.Id, ["channel_type"] = ChannelType(channel.Id), ["user"] = BotUserId,
                ["bot_id"] = BotId, ["text"] = text, ["ts"] = ts, ["event_ts"] = ts,
            };
            if (threadTs is not null)
                echo["thread_ts"] = threadTs;
            _ = PushEventAsync(echo, ts);
        }
        var answer = Ok(new JsonObject { ["channel"] = channel.Id, ["ts"] = ts, ["message"] = message });
        if (warning)
            answer["warning"] = "message_truncated";
        return answer;
    }

    string? ValidateBlocks(JsonArray blocks)
    {
        if (blocks.Count > 50)
            return "invalid_blocks";
        if (blocks.ToJsonString().Length > 13_000)
            return "msg_blocks_too_long";
        foreach (var node in blocks)
        {
            if (node is not JsonObject block || Text(block, "type") is not { } type || !KnownBlockTypes.Contains(type))
                return "invalid_blocks";
            switch (type)
            {
                case "table" when Options.RejectTableBlocks:
                    return "invalid_blocks";
                case "table":
                    if (block["rows"] is not JsonArray rows || rows.Count > 100 || rows.Any(static r => r is not JsonArray { Count: <= 20 }))
                        return "invalid_blocks";
                    break;
                case "header":
                    if ((block["text"]?["text"]?.GetValue<string>() ?? "").Length > 150 || Text(block["text"] as JsonObject, "type") != "plain_text")
                        return "invalid_blocks";
                    break;
                case "section":
                    var text = block["text"]?["text"]?.GetValue<string>();
                    var fields = block["fields"] as JsonArray;
                    if (text is null && fields is null || text?.Length > 3000 || fields?.Count > 10
                        || fields?.Any(static f => (f?["text"]?.GetValue<string>() ?? "").Length > 2000) == true)
                        return "invalid_blocks";
                    break;
                case "context":
                    if (block["elements"] is not JsonArray { Count: > 0 and <= 10 })
                        return "invalid_blocks";
                    break;
            }
        }
        return null;
    }

    JsonObject OpenConversation(JsonObject arguments)
    {
        var users = Text(arguments, "users");
        if (users is null || users.Contains(',', StringComparison.Ordinal))
            return Error(users is null ? "users_list_not_supplied" : "not_implemented_in_fake");
        lock (_lock)
        {
            if (!_users.ContainsKey(users))
                return Error("user_not_found");
            var existing = _channels.Values.FirstOrDefault(c => c.IsDirect && c.UserId == users);
            var id = existing?.Id ?? "D" + users[1..];
            _channels[id] = new FakeChannel(id, id, BotIsMember: true, IsDirect: true, Archived: false, users);
            return Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = id } });
        }
    }

    JsonObject ConversationInfo(JsonObject arguments)
    {
        lock (_lock)
        {
            return Text(arguments, "channel") is { } id && _channels.TryGetValue(id, out var channel)
                ? Ok(new JsonObject { ["channel"] = channel.ToJson() })
                : Error("channel_not_found");
        }
    }

    JsonObject ConversationList(JsonObject arguments)
    {
        var types = (Text(arguments, "types") ?? "public_channel").Split(',');
        var excludeArchived = Text(arguments, "exclude_archived") is "true" or "1";
        List<JsonNode> channels;
        lock (_lock)
        {
            channels = [.. _channels.Values
                .Where(c => !c.IsDirect && (!excludeArchived || !c.Archived))
                .Where(c => c.Id[0] == 'G' ? types.Contains("private_channel") && c.BotIsMember : types.Contains("public_channel"))
                .OrderBy(static c => c.Id, StringComparer.Ordinal)
                .Select(static c => (JsonNode)c.ToJson())];
        }
        return Page(arguments, "channels", channels);
    }

    JsonObject UserInfo(JsonObject arguments)
    {
        lock (_lock)
        {
            return Text(arguments, "user") is { } id && _users.TryGetValue(id, out var user)
                ? Ok(new JsonObject { ["user"] = user.DeepClone() })
                : Error("user_not_found");
        }
    }

    JsonObject UserList(JsonObject arguments)
    {
        List<JsonNode> users;
        lock (_lock)
            users = [.. _users.Values.OrderBy(static u => u["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(static u => u.DeepClone())];
        return Page(arguments, "members", users);
    }

    JsonObject UserByEmail(JsonObject arguments)
    {
        var email = Text(arguments, "email");
        lock (_lock)
        {
            var user = _users.Values.FirstOrDefault(u => email is not null && u["profile"]?["email"]?.GetValue<string>() == email);
            return user is null ? Error("users_not_found") : Ok(new JsonObject { ["user"] = user.DeepClone() });
        }
    }

    /// <summary>Cursor pagination: the cursor is the index of the next item; pages hold at most 2 items so that every
    /// test exercises the client's pagination.</summary>
    static JsonObject Page(JsonObject arguments, string property, List<JsonNode> items)
    {
        var start = int.TryParse(Text(arguments, "cursor"), CultureInfo.InvariantCulture, out var s) ? s : 0;
        var limit = int.TryParse(Text(arguments, "limit"), CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 2) : 2;
        var page = new JsonArray([.. items.Skip(start).Take(limit)]);
        var next = start + limit < items.Count ? (start + limit).ToString(CultureInfo.InvariantCulture) : "";
        return Ok(new JsonObject { [property] = page, ["response_metadata"] = new JsonObject { ["next_cursor"] = next } });
    }

    static string? Text(JsonObject? arguments, string name) =>
        arguments?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    static JsonObject Ok(JsonObject fields)
    {
        var answer = new JsonObject { ["ok"] = true };
        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            answer[key] = value;
        }
        return answer;
    }

    static JsonObject Error(string code) => new() { ["ok"] = false, ["error"] = code };

    static async Task AnswerAsync(HttpContext context, JsonObject answer, bool keepStatus = false)
    {
        if (!keepStatus)
            context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    string NextTs() => "1700000000." + Interlocked.Increment(ref _ts).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Closes every socket and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var socket in Sockets)
            socket.Drop();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    sealed class Pending(string eventId, JsonObject payload, int attempt)
    {
        public string EventId { get; } = eventId;

        public JsonObject Payload { get; } = payload;

        public int Attempt { get; } = attempt;

        public string EnvelopeId { get; set; } = "";

        public int Socket { get; set; }

        public ConcurrentDictionary<string, bool> Acknowledged { get; } = new(StringComparer.Ordinal);
    }

    sealed record FakeChannel(string Id, string Name, bool BotIsMember, bool IsDirect, bool Archived, string? UserId)
    {
        public JsonObject ToJson()
        {
            var json = new JsonObject
            {
                ["id"] = Id, ["is_channel"] = Id[0] == 'C', ["is_group"] = Id[0] == 'G', ["is_im"] = IsDirect,
                ["is_mpim"] = false, ["is_private"] = Id[0] != 'C', ["is_archived"] = Archived,
            };
            if (IsDirect)
                json["user"] = UserId;
            else
            {
                json["name"] = Name;
                json["is_member"] = BotIsMember;
            }
            return json;
        }
    }
}
