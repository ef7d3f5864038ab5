namespace Cog.Runtime.Chat;

/// <summary>A conversation on one chat provider: a channel, a private group or a direct conversation.</summary>
/// <param name="Id">The provider's id of the room (Slack <c>C…</c>, <c>G…</c>, <c>D…</c>); what replies are sent to.</param>
/// <param name="Name">The room's name without <c>#</c>; <c>direct</c> for direct conversations (Cog 1.0's convention).</param>
/// <param name="IsDirect">Whether it is a direct conversation between one person and Cog.</param>
public sealed record ChatRoom(string Id, string Name, bool IsDirect)
{
    /// <summary>The name Cog 1.0 gives every direct conversation.</summary>
    public const string DirectName = "direct";
}

/// <summary>A person on one chat provider, as the provider describes them.</summary>
/// <param name="Id">The provider's id of the user (Slack <c>U…</c>); the key a Cog user's chat handle is matched by, so a
/// rename in chat does not break the mapping.</param>
/// <param name="Handle">The handle shown in chat, without <c>@</c>.</param>
/// <param name="FirstName">From the chat profile, if known.</param>
/// <param name="LastName">From the chat profile, if known.</param>
/// <param name="Email">From the chat profile, if known (used by self-registration).</param>
public sealed record ChatUser(string Id, string Handle, string? FirstName = null, string? LastName = null, string? Email = null);

/// <summary>One message a provider received, normalised. Providers deliver only messages from people:
/// the bot's own messages, message previews and other bots' echoes are dropped by the provider.</summary>
/// <param name="Provider">The provider's name (<c>slack</c>, <c>web</c>).</param>
/// <param name="Id">The provider's id of the message (Slack <c>ts</c>); with <see cref="Provider"/> and the room it
/// identifies the message.</param>
/// <param name="Room">Where it was written.</param>
/// <param name="Sender">Who wrote it.</param>
/// <param name="Text">The text, already converted from the provider's markup to plain text: mentions as <c>@handle</c>,
/// channels as <c>#name</c>, links as their text, entities decoded.</param>
/// <param name="Edited">Whether this is an edit of an earlier message (Cog announces "Executing edited command").</param>
/// <param name="ThreadId">The thread the message was written in, or <see langword="null"/> at the top level; replies to
/// the origin go to the same thread.</param>
/// <param name="AddressedToBot">Whether the provider already knows the message is for Cog (Slack's <c>app_mention</c>),
/// in which case the leading mention has been removed from <see cref="Text"/>.</param>
public sealed record ChatMessage(
    string Provider,
    string Id,
    ChatRoom Room,
    ChatUser Sender,
    string Text,
    bool Edited = false,
    string? ThreadId = null,
    bool AddressedToBot = false);
