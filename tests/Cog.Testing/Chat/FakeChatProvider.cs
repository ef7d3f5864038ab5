using System.Collections.Immutable;
using System.Text;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;

namespace Cog.Testing.Chat;

/// <summary>An in-memory chat provider for tests: people and rooms are added by the test, messages
/// are "said" into the inbox the provider was started with, and every reply is recorded. Lookups and sends can be made
/// to fail.</summary>
/// <remarks>Thread-safe. Handles, names and ids are matched case-insensitively for names and exactly for ids; a user's
/// id defaults to <c>U-handle</c>, a room's to <c>C-name</c>, a direct conversation's to <c>D-userid</c>.</remarks>
public sealed class FakeChatProvider : IChatProvider
{
    readonly Lock _lock = new();
    readonly List<ChatUser> _users = [];
    readonly List<(ChatRoom Room, bool Member)> _rooms = [];
    readonly List<SentReply> _sent = [];
    IChatInbox? _inbox;
    int _messages;

    /// <summary>Creates a provider named <paramref name="name"/> whose bot is mentioned as <paramref name="botMention"/>.</summary>
    public FakeChatProvider(string name = "fake", string? botMention = "@cog")
    {
        Name = name;
        BotMention = botMention;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string? BotMention { get; }

    /// <summary>Whether <see cref="StartAsync"/> was called and <see cref="StopAsync"/> not since.</summary>
    public bool IsStarted { get; private set; }

    /// <summary>Makes <see cref="FindUserAsync"/>, <see cref="FindRoomAsync"/> and <see cref="OpenDirectAsync"/> throw
    /// <see cref="ChatProviderException"/>.</summary>
    public bool FailLookups { get; set; }

    /// <summary>Makes <see cref="SendAsync"/> throw <see cref="ChatProviderException"/> for rooms it matches.</summary>
    public Func<ChatRoom, bool>? FailSendsTo { get; set; }

    /// <summary>Every reply sent, in order.</summary>
    public IReadOnlyList<SentReply> Sent
    {
        get
        {
            lock (_lock)
                return [.. _sent];
        }
    }

    /// <summary>Adds a person.</summary>
    public ChatUser AddUser(string handle, string? id = null, string? firstName = null, string? lastName = null, string? email = null)
    {
        var user = new ChatUser(id ?? "U-" + handle, handle, firstName, lastName, email);
        lock (_lock)
            _users.Add(user);
        return user;
    }

    /// <summary>Adds a room; <paramref name="member"/> says whether Cog is in it (else lookups answer not-a-member).</summary>
    public ChatRoom AddRoom(string name, bool member = true, string? id = null)
    {
        var room = new ChatRoom(id ?? "C-" + name, name, false);
        lock (_lock)
            _rooms.Add((room, member));
        return room;
    }

    /// <summary>The direct conversation between Cog and <paramref name="user"/>.</summary>
    public static ChatRoom DirectWith(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ChatRoom("D-" + user.Id, ChatRoom.DirectName, true);
    }

    /// <summary>Delivers a message from <paramref name="sender"/> in <paramref name="room"/> to the inbox.</summary>
    public async ValueTask<ChatMessage> SayAsync(ChatUser sender, ChatRoom room, string text, bool edited = false, string? threadId = null,
        bool addressedToBot = false)
    {
        var inbox = _inbox ?? throw new InvalidOperationException($"The provider {Name} was not started.");
        var message = new ChatMessage(Name, "m" + Interlocked.Increment(ref _messages), room, sender, text, edited, threadId, addressedToBot);
        await inbox.ReceiveAsync(message, CancellationToken.None);
        return message;
    }

    /// <summary>Delivers a direct message from <paramref name="sender"/> to the inbox.</summary>
    public ValueTask<ChatMessage> SayDirectAsync(ChatUser sender, string text) => SayAsync(sender, DirectWith(sender), text);

    /// <summary>The replies sent to <paramref name="room"/>, in order.</summary>
    public IReadOnlyList<SentReply> SentTo(ChatRoom room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var replies = new List<SentReply>();
        foreach (var reply in Sent)
        {
            if (reply.Room.Id == room.Id)
                replies.Add(reply);
        }
        return replies;
    }

    /// <summary>Waits (generously) until at least <paramref name="count"/> replies were sent, and returns them all.</summary>
    public async Task<IReadOnlyList<SentReply>> WaitForRepliesAsync(int count = 1)
    {
        await Eventually.TrueAsync(() => Sent.Count >= count, $"{count} replies on {Name}");
        return Sent;
    }

    /// <inheritdoc/>
    public Task StartAsync(IChatInbox inbox, CancellationToken cancellationToken)
    {
        _inbox = inbox;
        IsStarted = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        IsStarted = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ChatUser?> FindUserAsync(string handleOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handleOrId);
        FailIfAsked();
        var handle = handleOrId.TrimStart('@');
        lock (_lock)
        {
            foreach (var user in _users)
            {
                if (user.Id == handleOrId || string.Equals(user.Handle, handle, StringComparison.OrdinalIgnoreCase))
                    return Task.FromResult<ChatUser?>(user);
            }
        }
        return Task.FromResult<ChatUser?>(null);
    }

    /// <inheritdoc/>
    public Task<RoomLookup> FindRoomAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        FailIfAsked();
        var name = nameOrId.TrimStart('#');
        (ChatRoom Room, bool Member)? found = null;
        lock (_lock)
        {
            foreach (var entry in _rooms)
            {
                if (entry.Room.Id != nameOrId && !string.Equals(entry.Room.Name, name, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (found is not null)
                    return Task.FromResult(RoomLookup.Ambiguous);
                found = entry;
            }
        }
        return Task.FromResult(found switch
        {
            null => RoomLookup.NotFound,
            { Member: true } room => RoomLookup.Found(room.Room),
            { } room => RoomLookup.NotAMember(room.Room),
        });
    }

    /// <inheritdoc/>
    public Task<ChatRoom> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        FailIfAsked();
        return Task.FromResult(DirectWith(user));
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
        if (FailSendsTo?.Invoke(room) == true)
            throw new ChatProviderException($"{Name} refused the message to {room.Name}.");
        lock (_lock)
            _sent.Add(new SentReply(room, reply));
        return Task.CompletedTask;
    }

    void FailIfAsked()
    {
        if (FailLookups)
            throw new ChatProviderException($"{Name} is unreachable.");
    }
}

/// <summary>One reply a <see cref="FakeChatProvider"/> sent.</summary>
/// <param name="Room">Where.</param>
/// <param name="Reply">What (and in which thread).</param>
public sealed record SentReply(ChatRoom Room, ChatReply Reply)
{
    /// <summary>The reply's text: inline text, code, line breaks as <c>\n</c>, blocks separated by <c>\n</c>.</summary>
    public string Text => ReplyText.Of(Reply.Body);

    /// <summary>The thread it went to, if any.</summary>
    public string? ThreadId => Reply.ThreadId;

    /// <summary>What the reply is about.</summary>
    public ReplyKind Kind => Reply.Body.Kind;

    /// <summary>The message of an error reply (the code block of Cog's <c>error</c> card), or <see langword="null"/>
    /// when the reply is not an error card.</summary>
    public string? ErrorMessage =>
        Kind == ReplyKind.Error && Reply.Body.Blocks is [AttachmentBlock card] && card.Body is [.., CodeBlock code] ? code.Text : null;

    /// <summary>The value of the field titled <paramref name="title"/> of the reply's card, or <see langword="null"/>.</summary>
    public string? Field(string title)
    {
        if (Reply.Body.Blocks is not [AttachmentBlock card])
            return null;
        foreach (var field in card.Fields)
        {
            if (field.Title == title)
                return field.Value;
        }
        return null;
    }
}

/// <summary>Flattens a <see cref="ReplyDocument"/> to plain text for assertions.</summary>
public static class ReplyText
{
    /// <summary>The text of <paramref name="document"/>.</summary>
    public static string Of(ReplyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new StringBuilder();
        AppendBlocks(text, document.Blocks);
        return text.ToString().TrimEnd('\n');
    }

    static void AppendBlocks(StringBuilder text, IEnumerable<ReplyBlock> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    AppendInlines(text, p.Inlines);
                    break;
                case HeadingBlock h:
                    AppendInlines(text, h.Inlines);
                    break;
                case CodeBlock c:
                    text.Append(c.Text);
                    break;
                case ListBlock l:
                    foreach (var item in l.Items)
                        AppendBlocks(text, item);
                    continue;
                case QuoteBlock q:
                    AppendBlocks(text, q.Blocks);
                    continue;
                case AttachmentBlock a:
                    if (a.Title is not null)
                        text.Append(a.Title).Append('\n');
                    foreach (var field in a.Fields)
                        text.Append(field.Title).Append(": ").Append(field.Value).Append('\n');
                    AppendBlocks(text, a.Body);
                    continue;
                case TableBlock t:
                    foreach (var cell in t.Header)
                    {
                        AppendInlines(text, cell);
                        text.Append('\t');
                    }
                    foreach (var row in t.Rows)
                    {
                        text.Append('\n');
                        foreach (var cell in row)
                        {
                            AppendInlines(text, cell);
                            text.Append('\t');
                        }
                    }
                    break;
            }
            text.Append('\n');
        }
    }

    // The runtime's plain-text flattening of inlines (mentions as @handle, links as their text).
    static void AppendInlines(StringBuilder text, ImmutableArray<ReplyInline> inlines) =>
        text.Append(Cog.Runtime.Rendering.ReplyText.Plain(inlines));
}
