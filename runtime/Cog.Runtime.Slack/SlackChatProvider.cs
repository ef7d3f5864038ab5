using System.Collections.Concurrent;
using System.Threading.Channels;
using Cog.Runtime.Chat;
using Cog.Runtime.Slack.Directory;
using Cog.Runtime.Slack.Events;
using Cog.Runtime.Slack.Rendering;
using Cog.Runtime.Slack.SocketMode;
using Cog.Runtime.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Slack;

/// <summary>The Slack chat provider (docs/slack.md): receives messages over Socket Mode and answers through the Web API,
/// hand-written against Slack's protocol.</summary>
/// <remarks>
/// <para>Start: <c>auth.test</c> with the bot token gives the bot's identity (its user id, bot id and name, so
/// <see cref="BotMention"/> is <c>@name</c>), then a Socket Mode connection is kept live in the background (reconnects,
/// make-before-break refreshes, back-off). Every envelope is acknowledged on arrival; events are then handled one at a
/// time, in order: deduplicated (redeliveries, a message seen both as <c>message</c> and <c>app_mention</c>), translated
/// into a <see cref="ChatMessage"/> (the bot's own and other bots' messages dropped) and given to the inbox.</para>
/// <para>Replies are rendered by <see cref="SlackReplyRenderer"/> and posted with <c>chat.postMessage</c>, part after
/// part, one reply at a time per conversation so parts never interleave; in the thread when the reply has one.</para>
/// <para>Thread-safe. Tokens are never logged nor put in exception messages.</para>
/// </remarks>
public sealed class SlackChatProvider : IChatProvider, IAsyncDisposable
{
    /// <summary>The provider's name: in chat handles and <c>slack://</c> targets.</summary>
    public const string ProviderName = "slack";

    static readonly HashSet<string> BlockErrors = new(StringComparer.Ordinal) { "invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long" };

    readonly SlackOptions _options;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly SlackApiClient _api;
    readonly SlackDirectory _directory;
    readonly SlackEventTranslator _translator;
    readonly IChatDeliveryClaims _claims;
    readonly SlackReplyRenderer _renderer;
    readonly ConcurrentDictionary<string, SemaphoreSlim> _conversationLocks = new(StringComparer.Ordinal);
    readonly Lock _lifecycle = new();
    Channel<SocketEnvelope>? _work;
    SocketModeClient? _socket;
    CancellationTokenSource? _stop;
    Task _worker = Task.CompletedTask;
    BotIdentity? _bot;

    /// <summary>Creates the provider (<see cref="SlackServiceCollectionExtensions.AddSlackChatProvider"/> does); nothing is
    /// contacted until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The tokens and timings, validated.</param>
    /// <param name="api">The Web API's typed client.</param>
    /// <param name="time">The clock for caches, back-offs and timeouts.</param>
    /// <param name="logger">Where connection changes, retries and dropped frames are logged.</param>
    /// <param name="claims">Where a delivery is claimed before it is handled (shared by the servers on one store); when
    /// <see langword="null"/>, claims are remembered in memory for <see cref="SlackOptions.DeduplicationWindow"/>.</param>
    internal SlackChatProvider(SlackOptions options, SlackApiClient api, TimeProvider time, ILogger logger, IChatDeliveryClaims? claims = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _time = time;
        _logger = logger;
        _api = api;
        _directory = new SlackDirectory(_api, options, time);
        _translator = new SlackEventTranslator(_directory, logger);
        _claims = claims ?? new DeliveryDeduper(options.DeduplicationWindow, options.DeduplicationCapacity, time);
        _renderer = new SlackReplyRenderer(options.MaxMessageLength, options.MaxMessagesPerReply);
    }

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    /// <remarks><see langword="null"/> until <see cref="StartAsync"/> has learnt the bot's name.</remarks>
    public string? BotMention => _bot is { } bot ? "@" + bot.Name : null;

    internal BotIdentity? Bot => _bot;

    internal int ConnectionsOpened => _socket?.ConnectionsOpened ?? 0;

    /// <inheritdoc/>
    /// <remarks>Throws <see cref="ChatProviderException"/> when Slack refuses a token. Returns when the first Socket Mode
    /// connection is live, or after <see cref="SlackOptions.StartTimeout"/> with the provider still connecting in the
    /// background.</remarks>
    public async Task StartAsync(IChatInbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var auth = (await _api.PostEmptyAsync("auth.test", SlackToken.Bot, cancellationToken).ConfigureAwait(false)).EnsureOk();
        var bot = new BotIdentity(Text(auth, "user_id") ?? "", Text(auth, "bot_id") ?? "", Text(auth, "user") ?? "");
        SlackLog.Authenticated(_logger, Text(auth, "team") ?? "?", bot.Name, bot.UserId, bot.BotId);

        SocketModeClient socket;
        lock (_lifecycle)
        {
            if (_socket is not null)
                throw new InvalidOperationException("The Slack provider is already started.");
            _bot = bot;
            _stop = new CancellationTokenSource();
            _work = Channel.CreateUnbounded<SocketEnvelope>(new UnboundedChannelOptions { SingleReader = true });
            var work = _work;
            var stop = _stop.Token;
            _worker = Task.Run(() => WorkAsync(work.Reader, inbox, bot, stop), CancellationToken.None);
            socket = _socket = new SocketModeClient(_api, _options, _time, _logger, envelope =>
            {
                work.Writer.TryWrite(envelope);
                return ValueTask.CompletedTask;
            });
        }
        socket.Start();
        try
        {
            await socket.FirstConnection.WaitAsync(_options.StartTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still connecting in the background (ConnectFailed is logged with each attempt).
        }
    }

    async Task WorkAsync(ChannelReader<SocketEnvelope> reader, IChatInbox inbox, BotIdentity bot, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var envelope in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (envelope.Type != "events_api")
                    continue;
                var keys = SlackEventTranslator.DeliveryKeys(envelope.Payload);
                if (keys.Length == 0)
                    continue;
                try
                {
                    // Claimed before it is handled: Slack may have given the same event (or the same message as
                    // another event) to another connection, of this server or of another one sharing the store.
                    if (!await _claims.TryClaimAsync(ProviderName, keys, cancellationToken).ConfigureAwait(false))
                        continue;
                    if (await _translator.TranslateAsync(envelope.Payload, bot, cancellationToken).ConfigureAwait(false) is { } message)
                        await inbox.ReceiveAsync(message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    SlackLog.EventFailed(_logger, e, envelope.Connection);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        SocketModeClient? socket;
        CancellationTokenSource? stop;
        lock (_lifecycle)
        {
            socket = _socket;
            stop = _stop;
            _socket = null;
            _stop = null;
            _work?.Writer.TryComplete();
        }
        if (socket is null)
            return;
        await socket.DisposeAsync().ConfigureAwait(false);
        await stop!.CancelAsync().ConfigureAwait(false);
        await _worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
        SlackLog.Stopped(_logger);
    }

    /// <inheritdoc/>
    /// <remarks>An id (<c>U…</c>, <c>W…</c>) is looked up with <c>users.info</c>; a handle in the (cached)
    /// <c>users.list</c>.</remarks>
    public async Task<ChatUser?> FindUserAsync(string handleOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handleOrId);
        var key = handleOrId.Trim().TrimStart('@');
        if (key.Length == 0)
            return null;
        if (LooksLikeId(key, "UW") && await _directory.GetUserAsync(key, cancellationToken).ConfigureAwait(false) is { } byId)
            return byId;
        return await _directory.FindUserByHandleAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>An id (<c>C…</c>, <c>G…</c>, <c>D…</c>) is looked up with <c>conversations.info</c>; a name in the
    /// (cached) <c>conversations.list</c> of unarchived public and private channels. A channel the bot is not in is
    /// <see cref="RoomProblem.NotAMember"/>; an archived one is not found.</remarks>
    public async Task<RoomLookup> FindRoomAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var key = nameOrId.Trim().TrimStart('#');
        if (key.Length == 0)
            return RoomLookup.NotFound;
        if (LooksLikeId(key, "CGD") && await _directory.GetChannelAsync(key, cancellationToken).ConfigureAwait(false) is { } byId)
            return Lookup(byId);
        var named = await _directory.FindChannelsByNameAsync(key, cancellationToken).ConfigureAwait(false);
        return named.Count switch
        {
            0 => RoomLookup.NotFound,
            1 => Lookup(named[0]),
            _ => RoomLookup.Ambiguous,
        };

        static RoomLookup Lookup(SlackChannel channel)
        {
            if (channel.IsArchived)
                return RoomLookup.NotFound;
            var room = new ChatRoom(channel.Id, channel.Name, channel.IsDirect);
            return channel.IsMember ? RoomLookup.Found(room) : RoomLookup.NotAMember(room);
        }
    }

    /// <inheritdoc/>
    public async Task<ChatRoom> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = await _directory.OpenDirectAsync(user.Id, cancellationToken).ConfigureAwait(false);
        return new ChatRoom(id, ChatRoom.DirectName, IsDirect: true);
    }

    /// <inheritdoc/>
    public string Mention(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return $"<@{user.Id}>";
    }

    /// <inheritdoc/>
    /// <remarks>When Slack refuses a part's blocks (<c>invalid_blocks</c>, <c>msg_blocks_too_long</c>), the part is
    /// posted again as its mrkdwn text alone. Any other refusal throws <see cref="ChatProviderException"/> (the parts
    /// before it are posted).</remarks>
    public async Task SendAsync(ChatRoom room, ChatReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(reply);
        var parts = _renderer.Render(reply.Body);
        if (parts.Count == 0)
            return;
        var gate = _conversationLocks.GetOrAdd(room.Id, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var part in parts)
            {
                var response = await _api.PostJsonAsync("chat.postMessage", part.ToPayload(room.Id, reply.ThreadId), cancellationToken).ConfigureAwait(false);
                if (!response.Ok && part.Blocks is not null && BlockErrors.Contains(response.Error))
                {
                    SlackLog.BlocksRefused(_logger, response.Method, response.Error);
                    response = await _api.PostJsonAsync("chat.postMessage", part.ToPayload(room.Id, reply.ThreadId, withBlocks: false), cancellationToken).ConfigureAwait(false);
                }
                response.EnsureOk();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops the provider (its HTTP client belongs to <see cref="IHttpClientFactory"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    static bool LooksLikeId(string key, string firstLetters)
    {
        if (key.Length < 2 || !firstLetters.Contains(key[0], StringComparison.Ordinal))
            return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    static string? Text(System.Text.Json.JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
}
