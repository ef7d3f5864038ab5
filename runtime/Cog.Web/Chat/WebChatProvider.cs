using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading.Channels;
using Cog.Runtime.Administration;
using Cog.Runtime.Chat;
using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Web.Chat;

/// <summary>The web console's chat (provider <c>web</c>): people signed in to the console talk to Cog in their own
/// direct conversation and in the configured shared rooms, over the WebSocket endpoint that
/// <see cref="WebConsole.MapWebConsole"/> maps.</summary>
/// <remarks>
/// <para>A person's provider user id and handle are their Cog username (they are authenticated by their API token, so
/// Cog knows who they are). Rooms: every shared room (id = name) and each person's direct conversation (id
/// <c>dm:USERNAME</c>, name <c>direct</c>). Each room keeps its last <see cref="WebConsoleOptions.HistoryLimit"/>
/// messages in the store (<see cref="IWebChatStore"/>), sent to a person when they connect.</para>
/// <para>Several servers: a person's browser may be connected to any of them. Every message (a person's, or Cog's
/// reply) is stored first, shown to this server's sessions, then announced on the server bus's
/// <see cref="BusChannel"/> with its id; the other servers read it from the store and show it to theirs. After a
/// missed notice a server shows what the store holds beyond the newest message it showed.</para>
/// <para>Thread-safe. Every browser connection has its own bounded send queue; one that falls behind by
/// <see cref="WebConsoleOptions.SendQueueLimit"/> frames is dropped, so it never holds up the others or Cog.</para>
/// </remarks>
public sealed class WebChatProvider : IChatProvider
{
    /// <summary>The provider's name.</summary>
    public const string ProviderName = "web";

    /// <summary>The author name of Cog's messages.</summary>
    internal const string CogAuthor = "cog";

    /// <summary>The server bus channel that announces a stored message to the other servers (payload: its id).</summary>
    public const string BusChannel = "web-chat";

    const string DirectPrefix = "dm:";

    readonly WebConsoleOptions _options;
    readonly IStore _store;
    readonly AdminAudit _audit;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly Func<ReplyDocument, string> _html;
    readonly ImmutableArray<ChatRoom> _shared;
    readonly ConcurrentDictionary<long, WebChatSession> _sessions = new();
    readonly IServerBus? _bus;
    readonly Channel<ServerNotice> _notices = Channel.CreateUnbounded<ServerNotice>(new UnboundedChannelOptions { SingleReader = true });
    IDisposable? _subscription;
    IChatInbox? _inbox;
    long _nextSession;
    long _newestShown;

    /// <summary>Creates the provider. A person who signs in without a <c>web</c> chat handle gets their username as handle,
    /// recorded in <paramref name="audit"/> as a change by the system (<c>chat_handle.attached</c>). With
    /// <paramref name="bus"/>, messages reach the sessions of the other servers sharing the store.</summary>
    public WebChatProvider(WebConsoleOptions options, IStore store, AdminAudit audit, TimeProvider time, ILogger<WebChatProvider> logger,
        IServerBus? bus = null)
        : this(options, store, audit, time, logger, HtmlFormatter.Format, bus)
    {
    }

    internal WebChatProvider(WebConsoleOptions options, IStore store, AdminAudit audit, TimeProvider time, ILogger logger,
        Func<ReplyDocument, string> html, IServerBus? bus = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store;
        _audit = audit;
        _time = time;
        _logger = logger;
        _html = html;
        _bus = bus;
        var shared = ImmutableArray.CreateBuilder<ChatRoom>();
        foreach (var name in options.Rooms)
        {
            var trimmed = name.Trim().TrimStart('#').ToLowerInvariant();
            if (trimmed.Length > 0 && !trimmed.StartsWith(DirectPrefix, StringComparison.Ordinal) && SharedRoom(shared, trimmed) is null)
                shared.Add(new ChatRoom(trimmed, trimmed, IsDirect: false));
        }
        _shared = shared.ToImmutable();
    }

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public string? BotMention => "@cog";

    /// <summary>The shared rooms, in configured order.</summary>
    public ImmutableArray<ChatRoom> SharedRooms => _shared;

    /// <summary>How many browser connections are signed in now.</summary>
    public int SessionCount => _sessions.Count;

    /// <inheritdoc/>
    /// <remarks>Imports the history file of a server from before the history was in the store
    /// (<see cref="WebConsoleOptions.HistoryFile"/>) once, then listens to the other servers' messages.</remarks>
    public async Task StartAsync(IChatInbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (_options.HistoryFile is { Length: > 0 } file)
            await ChatHistoryImport.ImportAsync(file, _store.WebChat, _options.HistoryLimit, _logger, cancellationToken).ConfigureAwait(false);
        if (_bus is not null)
        {
            // Messages stored before now are history, sent with the ready frame; notices show what comes after.
            Volatile.Write(ref _newestShown, await _store.WebChat.NewestIdAsync(cancellationToken).ConfigureAwait(false));
            // Ends when StopAsync completes the channel.
            _ = Task.Run(ShowNoticesAsync, CancellationToken.None);
            _subscription = _bus.Subscribe(BusChannel, notice => _notices.Writer.TryWrite(notice));
        }
        Volatile.Write(ref _inbox, inbox);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
        _notices.Writer.TryComplete();
        Volatile.Write(ref _inbox, null);
        foreach (var session in _sessions.Values)
        {
            session.TryEnqueue(ChatFrames.Error(WebChatMessages.Stopping));
            session.End(graceful: true);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<ChatUser?> FindUserAsync(string handleOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handleOrId);
        var username = handleOrId.Trim().TrimStart('@');
        if (username.Length == 0)
            return null;
        var user = await _store.Users.FindByUsernameAsync(username, cancellationToken).ConfigureAwait(false);
        return user is { Active: true } ? ToChatUser(user) : null;
    }

    /// <inheritdoc/>
    public async Task<RoomLookup> FindRoomAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var name = nameOrId.Trim().TrimStart('#');
        if (SharedRoom(_shared, name.ToLowerInvariant()) is { } shared)
            return RoomLookup.Found(shared);
        if (name.StartsWith(DirectPrefix, StringComparison.Ordinal)
            && await FindUserAsync(name[DirectPrefix.Length..], cancellationToken).ConfigureAwait(false) is { } user)
            return RoomLookup.Found(DirectRoom(user));
        return RoomLookup.NotFound;
    }

    /// <inheritdoc/>
    public Task<ChatRoom> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(DirectRoom(user));
    }

    /// <inheritdoc/>
    public string Mention(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return "@" + user.Handle;
    }

    /// <inheritdoc/>
    /// <remarks>The reply is stored, then shown to the room's sessions on every server.</remarks>
    public async Task SendAsync(ChatRoom room, ChatReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(reply);
        if (SharedRoom(_shared, room.Id) is null && !room.Id.StartsWith(DirectPrefix, StringComparison.Ordinal))
            throw new ChatProviderException(WebChatMessages.UnknownRoom(room.Id));
        await PublishAsync(new WebChatMessage(0, room.Id, CogAuthor, FromCog: true, _time.GetUtcNow(),
            KindName(reply.Body.Kind), _html(reply.Body), reply.ThreadId, ClientId: null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The person behind an API token, and when the token expires; or the refusal's text.</summary>
    internal async Task<(ChatUser? User, DateTimeOffset ExpiresAt, string? Refusal)> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        // As the REST API's token authentication: looked up by hash, refused when expired or when the user is inactive.
        var stored = await _store.Tokens.FindByHashAsync(ApiTokenHash.Compute(token), cancellationToken).ConfigureAwait(false);
        if (stored is null)
            return (null, default, WebChatMessages.InvalidToken);
        if (stored.ExpiresAt <= _time.GetUtcNow())
            return (null, default, WebChatMessages.TokenExpired);
        var user = await _store.Users.GetAsync(stored.UserId, cancellationToken).ConfigureAwait(false);
        if (user is not { Active: true })
            return (null, default, WebChatMessages.InvalidToken);
        // The chat service maps a message to the Cog user whose web handle has the sender's id (the username): the person
        // must hold that handle, never someone else.
        var holder = await _store.Users.FindByChatUserAsync(ProviderName, user.Username, cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            var handle = new ChatHandle(StoreId.New(), user.Id, ProviderName, user.Username, user.Username);
            var attached = await _store.Users.SetChatHandleAsync(handle, cancellationToken).ConfigureAwait(false);
            if (!attached.IsSuccess)
                return (null, default, WebChatMessages.HandleHeldByAnother);
            await _audit.RecordAsync(null, AdminActor.SystemOrigin, "chat_handle.attached", "user:" + user.Username,
                new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["provider"] = ProviderName,
                    ["handle"] = user.Username,
                    ["provider_user_id"] = user.Username,
                },
                cancellationToken).ConfigureAwait(false);
        }
        else if (!string.Equals(holder.Id, user.Id, StringComparison.Ordinal))
        {
            return (null, default, WebChatMessages.HandleHeldByAnother);
        }
        return (ToChatUser(user), stored.ExpiresAt, null);
    }

    /// <summary>Signs a connection in: registers its session and queues the <c>ready</c> frame with every room it sees
    /// and their recent history (from the store).</summary>
    internal async Task<WebChatSession> ConnectAsync(ChatUser user, DateTimeOffset expiresAt, Func<byte[], CancellationToken, Task> send, Action abort,
        CancellationToken cancellationToken)
    {
        var direct = DirectRoom(user);
        var session = new WebChatSession(Interlocked.Increment(ref _nextSession), user, direct, expiresAt, _options.SendQueueLimit, send, abort);
        var rooms = new List<(ChatRoom, IReadOnlyList<WebChatMessage>)>(_shared.Length + 1);
        foreach (var room in (ChatRoom[])[direct, .. _shared])
            rooms.Add((room, await _store.WebChat.RecentAsync(room.Id, _options.HistoryLimit, cancellationToken).ConfigureAwait(false)));
        session.TryEnqueue(ChatFrames.Ready(user, rooms));
        _sessions[session.Id] = session;
        WebChatLog.Connected(_logger, user.Handle, session.Id);
        return session;
    }

    /// <summary>Forgets a session whose connection ended.</summary>
    internal void Disconnect(WebChatSession session)
    {
        if (_sessions.TryRemove(session.Id, out _))
            WebChatLog.Disconnected(_logger, session.User.Handle, session.Id);
        session.End(graceful: true);
    }

    /// <summary>A <c>send</c> frame from a session: shown in the room to everyone who sees it, then given to the inbox.
    /// Returns the refusal's text, or <see langword="null"/>.</summary>
    internal async Task<string?> ReceiveAsync(WebChatSession session, ClientFrame frame, CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() >= session.ExpiresAt)
            return WebChatMessages.TokenExpired;
        var room = frame.Room is null ? null
            : string.Equals(frame.Room, session.Direct.Id, StringComparison.Ordinal) ? session.Direct
            : SharedRoom(_shared, frame.Room);
        if (room is null)
            return WebChatMessages.UnknownRoom(frame.Room ?? "");
        var text = frame.Text?.Trim() ?? "";
        if (text.Length == 0)
            return WebChatMessages.EmptyMessage;
        if (text.Length > _options.MaxMessageLength)
            return WebChatMessages.TooLong(_options.MaxMessageLength);
        var inbox = Volatile.Read(ref _inbox);
        if (inbox is null)
            return WebChatMessages.NotListening;

        WebChatMessage stored;
        try
        {
            stored = await PublishAsync(new WebChatMessage(0, room.Id, session.User.Handle, FromCog: false, _time.GetUtcNow(), "message",
                PersonText.Html(text), frame.Thread, frame.ClientId), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Told to the person: nothing was shown or run, they may send it again.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            WebChatLog.NotStored(_logger, session.User.Handle, e);
            return WebChatMessages.NotStored;
        }
        try
        {
            var id = stored.Id.ToString(CultureInfo.InvariantCulture);
            await inbox.ReceiveAsync(new ChatMessage(ProviderName, id, room, session.User, text, ThreadId: frame.Thread), cancellationToken)
                .ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The inbox promises not to throw; if it does, the person's connection survives it.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            WebChatLog.InboxFailed(_logger, session.User.Handle, e);
        }
        return null;
    }

    /// <summary>Stores <paramref name="message"/>, shows it to this server's sessions, then tells the other servers.</summary>
    async Task<WebChatMessage> PublishAsync(WebChatMessage message, CancellationToken cancellationToken)
    {
        var stored = await _store.WebChat.AppendAsync(message, _options.HistoryLimit, CancellationToken.None).ConfigureAwait(false);
        Show(stored);
        if (_bus is not null)
        {
            try
            {
                await _bus.PublishAsync(BusChannel, stored.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Stored and shown here; the other servers' sessions see it in the history when they reconnect.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                WebChatLog.NotAnnounced(_logger, stored.Id, e);
            }
        }
        return stored;
    }

    /// <summary>Shows the other servers' messages in the order they were announced: each notice's message (the payload
    /// is its id), read from the store; after missed notices, what the store holds beyond the newest message shown.</summary>
    async Task ShowNoticesAsync()
    {
        await foreach (var notice in _notices.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (notice.Missed)
                {
                    foreach (var message in await _store.WebChat.AfterAsync(Volatile.Read(ref _newestShown), _options.HistoryLimit, CancellationToken.None)
                        .ConfigureAwait(false))
                        Show(message);
                }
                else if (long.TryParse(notice.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && await _store.WebChat.GetAsync(id, CancellationToken.None).ConfigureAwait(false) is { } message)
                {
                    Show(message);
                }
            }
#pragma warning disable CA1031 // The store is unreachable: the sessions see the message in the history when they reconnect.
            catch (Exception e)
#pragma warning restore CA1031
            {
                WebChatLog.NotShown(_logger, notice.Payload, e);
            }
        }
    }

    /// <summary>Shows a stored message to this server's sessions that see its room.</summary>
    void Show(WebChatMessage message)
    {
        long newest;
        while ((newest = Volatile.Read(ref _newestShown)) < message.Id && Interlocked.CompareExchange(ref _newestShown, message.Id, newest) != newest)
        {
        }
        var shared = SharedRoom(_shared, message.Room) is not null;
        var frame = ChatFrames.Message(message);
        foreach (var session in _sessions.Values)
        {
            if (!session.Sees(message.Room, shared) || session.TryEnqueue(frame) || session.IsEnded)
                continue;
            // Too slow: its queue is full. Dropping it keeps everyone else's messages flowing.
            WebChatLog.Dropped(_logger, session.Id, session.User.Handle);
            _sessions.TryRemove(session.Id, out _);
            session.End(graceful: false);
        }
    }

    static ChatRoom? SharedRoom(IEnumerable<ChatRoom> rooms, string id)
    {
        foreach (var room in rooms)
        {
            if (string.Equals(room.Id, id, StringComparison.Ordinal))
                return room;
        }
        return null;
    }

    static ChatRoom DirectRoom(ChatUser user) => new(DirectPrefix + user.Id, ChatRoom.DirectName, IsDirect: true);

    static ChatUser ToChatUser(User user) => new(user.Username, user.Username, user.FirstName, user.LastName, user.EmailAddress);

    static string KindName(ReplyKind kind) => kind switch
    {
        ReplyKind.Notice => "notice",
        ReplyKind.Abort => "abort",
        ReplyKind.Error => "error",
        _ => "output",
    };
}
