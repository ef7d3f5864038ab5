using Cog.Runtime.Rendering;

namespace Cog.Runtime.Chat;

/// <summary>One chat provider: Slack, the web console. Several run at once; a Cog user holds at most
/// one handle on each. The provider turns its own protocol into <see cref="ChatMessage"/>s for the
/// <see cref="IChatInbox"/>, and <see cref="ReplyDocument"/>s into its own markup.</summary>
/// <remarks>Implementations are thread-safe. Lookups are cached by the provider (Cog 1.0 cached them 10 s). Methods throw
/// <see cref="ChatProviderException"/> when the provider cannot be reached or refuses; "not found" is an answer, not an
/// exception.</remarks>
public interface IChatProvider
{
    /// <summary>The provider's name, lower-case, as used in chat handles and <c>name://</c> redirect targets.</summary>
    string Name { get; }

    /// <summary>How the bot is mentioned at the start of a message addressed to it, e.g. <c>@cog</c> (matched
    /// case-insensitively); <see langword="null"/> when the provider has no mentions.</summary>
    string? BotMention { get; }

    /// <summary>Starts receiving: from now on every message from a person is given to <paramref name="inbox"/>, at most
    /// once each. Returns once the provider is ready or has begun to (re)connect in the background.</summary>
    Task StartAsync(IChatInbox inbox, CancellationToken cancellationToken);

    /// <summary>Stops receiving and closes the connection. Messages already handed to the inbox are not recalled.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Finds a person by handle (with or without <c>@</c>) or by the provider's user id.</summary>
    Task<ChatUser?> FindUserAsync(string handleOrId, CancellationToken cancellationToken);

    /// <summary>Finds a room by name (with or without <c>#</c>) or id, and says whether Cog may post there.</summary>
    Task<RoomLookup> FindRoomAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>The direct conversation between Cog and <paramref name="user"/>, opened if needed.</summary>
    Task<ChatRoom> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken);

    /// <summary>How a reply should mention <paramref name="user"/> so that chat notifies them (Slack <c>&lt;@U…&gt;</c>).</summary>
    string Mention(ChatUser user);

    /// <summary>Posts <paramref name="reply"/> to <paramref name="room"/>, rendered in the provider's markup, split into several
    /// messages when it is too long. Returns when the provider has accepted every part.</summary>
    Task SendAsync(ChatRoom room, ChatReply reply, CancellationToken cancellationToken);
}

/// <summary>Where a provider hands the messages it receives. Implemented by the chat service.</summary>
/// <remarks>Thread-safe; returns quickly (the pipeline runs in the background), so a provider can acknowledge its
/// transport right after.</remarks>
public interface IChatInbox
{
    /// <summary>Takes one message. Never throws for bad input: a message Cog cannot use is answered or ignored.</summary>
    ValueTask ReceiveAsync(ChatMessage message, CancellationToken cancellationToken);
}

/// <summary>One outgoing message.</summary>
/// <param name="Body">What to say, provider-neutral.</param>
/// <param name="ThreadId">The thread to reply in, or <see langword="null"/> for the top level of the room.</param>
public sealed record ChatReply(ReplyDocument Body, string? ThreadId = null);

/// <summary>The answer of <see cref="IChatProvider.FindRoomAsync"/>.</summary>
/// <param name="Room">The room, when found.</param>
/// <param name="Problem">Why the room cannot be used, when it cannot.</param>
public sealed record RoomLookup(ChatRoom? Room, RoomProblem Problem)
{
    /// <summary>A room Cog may post to.</summary>
    public static RoomLookup Found(ChatRoom room) => new(room, RoomProblem.None);

    /// <summary>No room of that name or id.</summary>
    public static RoomLookup NotFound { get; } = new(null, RoomProblem.NotFound);

    /// <summary>The room exists, but Cog is not a member, so it cannot post there.</summary>
    public static RoomLookup NotAMember(ChatRoom room) => new(room, RoomProblem.NotAMember);

    /// <summary>Several rooms match the name.</summary>
    public static RoomLookup Ambiguous { get; } = new(null, RoomProblem.Ambiguous);
}

/// <summary>Why a room lookup did not give a usable room.</summary>
public enum RoomProblem
{
    /// <summary>Usable.</summary>
    None,

    /// <summary>No such room.</summary>
    NotFound,

    /// <summary>Cog is not in the room.</summary>
    NotAMember,

    /// <summary>More than one room has that name.</summary>
    Ambiguous,
}

/// <summary>A chat provider could not be reached or refused a call (after its own retries). The message is safe to show
/// in chat and logs: it never contains a token.</summary>
public sealed class ChatProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatProviderException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public ChatProviderException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public ChatProviderException() { }
}
