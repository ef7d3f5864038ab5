using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cog.Runtime.Administration;
using Cog.Runtime.Chat;
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
/// messages, sent to a person when they connect; with <see cref="WebConsoleOptions.HistoryFile"/> they survive a
/// restart (<see cref="ChatHistoryFile"/>).</para>
/// <para>Thread-safe. Every browser connection has its own bounded send queue; one that falls behind by
/// <see cref="WebConsoleOptions.SendQueueLimit"/> frames is dropped, so it never holds up the others or Cog.</para>
/// </remarks>
public sealed class WebChatProvider : IChatProvider
{
    /// <summary>The provider's name.</summary>
    public const string ProviderName = "web";

    /// <summary>The author name of Cog's messages.</summary>
    internal const string CogAuthor = "cog";

    const string DirectPrefix = "dm:";

    readonly WebConsoleOptions _options;
    readonly IStore _store;
    readonly AdminAudit _audit;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly Func<ReplyDocument, string> _html;
    readonly ImmutableArray<ChatRoom> _shared;
    readonly ConcurrentDictionary<long, WebChatSession> _sessions = new();
    readonly ConcurrentDictionary<string, RoomHistory> _histories = new(StringComparer.Ordinal);
    readonly ChatHistoryFile? _historyFile;
    IChatInbox? _inbox;
    long _nextSession;
    long _nextMessage;

    /// <summary>Creates the provider. A person who signs in without a <c>web</c> chat handle gets their username as handle,
    /// recorded in <paramref name="audit"/> as a change by the system (<c>chat_handle.attached</c>).</summary>
    public WebChatProvider(WebConsoleOptions options, IStore store, AdminAudit audit, TimeProvider time, ILogger<WebChatProvider> logger)
        : this(options, store, audit, time, logger, HtmlFormatter.Format)
    {
    }

    internal WebChatProvider(WebConsoleOptions options, IStore store, AdminAudit audit, TimeProvider time, ILogger logger,
        Func<ReplyDocument, string> html)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store;
        _audit = audit;
        _time = time;
        _logger = logger;
        _html = html;
        var shared = ImmutableArray.CreateBuilder<ChatRoom>();
        foreach (var name in options.Rooms)
        {
            var trimmed = name.Trim().TrimStart('#').ToLowerInvariant();
            if (trimmed.Length > 0 && !trimmed.StartsWith(DirectPrefix, StringComparison.Ordinal) && SharedRoom(shared, trimmed) is null)
                shared.Add(new ChatRoom(trimmed, trimmed, IsDirect: false));
        }
        _shared = shared.ToImmutable();
        if (options.HistoryFile is { Length: > 0 } file)
        {
            _historyFile = new ChatHistoryFile(file, options.HistoryLimit, logger);
            foreach (var entry in _historyFile.Load())
            {
                History(entry.Room).Add(entry);
                _nextMessage = Math.Max(_nextMessage, ChatHistoryFile.Sequence(entry.Id));
            }
        }
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
    public Task StartAsync(IChatInbox inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        Volatile.Write(ref _inbox, inbox);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
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
    public Task SendAsync(ChatRoom room, ChatReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(reply);
        var isShared = SharedRoom(_shared, room.Id) is not null;
        if (!isShared && !room.Id.StartsWith(DirectPrefix, StringComparison.Ordinal))
            throw new ChatProviderException(WebChatMessages.UnknownRoom(room.Id));
        var entry = new WebChatEntry(NextMessageId(), room.Id, CogAuthor, FromCog: true, _time.GetUtcNow(),
            KindName(reply.Body.Kind), _html(reply.Body), reply.ThreadId, ClientId: null);
        Publish(entry, isShared);
        return Task.CompletedTask;
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
    /// and their recent history.</summary>
    internal WebChatSession Connect(ChatUser user, DateTimeOffset expiresAt, Func<byte[], CancellationToken, Task> send, Action abort)
    {
        var direct = DirectRoom(user);
        var session = new WebChatSession(Interlocked.Increment(ref _nextSession), user, direct, expiresAt, _options.SendQueueLimit, send, abort);
        var rooms = new List<(ChatRoom, WebChatEntry[])>(_shared.Length + 1) { (direct, History(direct.Id).Snapshot()) };
        foreach (var room in _shared)
            rooms.Add((room, History(room.Id).Snapshot()));
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

        var id = NextMessageId();
        Publish(new WebChatEntry(id, room.Id, session.User.Handle, FromCog: false, _time.GetUtcNow(), "message",
            PersonText.Html(text), frame.Thread, frame.ClientId), !room.IsDirect);
        try
        {
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

    void Publish(WebChatEntry entry, bool shared)
    {
        History(entry.Room).Add(entry);
        _historyFile?.Append(entry, () => _histories.Values.SelectMany(static h => h.Snapshot()));
        var frame = ChatFrames.Message(entry);
        foreach (var session in _sessions.Values)
        {
            if (!session.Sees(entry.Room, shared) || session.TryEnqueue(frame) || session.IsEnded)
                continue;
            // Too slow: its queue is full. Dropping it keeps everyone else's messages flowing.
            WebChatLog.Dropped(_logger, session.Id, session.User.Handle);
            _sessions.TryRemove(session.Id, out _);
            session.End(graceful: false);
        }
    }

    RoomHistory History(string roomId) => _histories.GetOrAdd(roomId, static (_, limit) => new RoomHistory(limit), _options.HistoryLimit);

    string NextMessageId() => Interlocked.Increment(ref _nextMessage).ToString(System.Globalization.CultureInfo.InvariantCulture);

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
