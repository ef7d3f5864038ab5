namespace Cog.Runtime.Chat;

/// <summary>The web console's chat rooms' recent messages, shared by every server on the store, so that a person sees a
/// room's history whichever server their browser reaches, and a server pushes another server's message from here.</summary>
/// <remarks>Thread-safe. Exceptions mean a broken or unreachable store.</remarks>
public interface IWebChatStore
{
    /// <summary>Stores <paramref name="message"/> (its <see cref="WebChatMessage.Id"/> is ignored) and drops the room's
    /// messages beyond its newest <paramref name="keep"/>; returns it with the id the store assigned, which is larger than
    /// every id assigned before.</summary>
    Task<WebChatMessage> AppendAsync(WebChatMessage message, int keep, CancellationToken cancellationToken);

    /// <summary>The message with this id, or <see langword="null"/> (never stored, or dropped).</summary>
    Task<WebChatMessage?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>A room's newest messages, at most <paramref name="limit"/>, oldest first.</summary>
    Task<IReadOnlyList<WebChatMessage>> RecentAsync(string room, int limit, CancellationToken cancellationToken);

    /// <summary>The largest id assigned so far to a message still kept, or 0.</summary>
    Task<long> NewestIdAsync(CancellationToken cancellationToken);

    /// <summary>The messages of every room with an id above <paramref name="afterId"/>, oldest first, at most
    /// <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebChatMessage>> AfterAsync(long afterId, int limit, CancellationToken cancellationToken);
}

/// <summary>One message shown in a web chat room: written by a person, or sent by Cog.</summary>
/// <param name="Id">Assigned by the store, increasing.</param>
/// <param name="Room">The room's id.</param>
/// <param name="Author">The writer's username, or <c>cog</c>.</param>
/// <param name="FromCog">Whether Cog sent it.</param>
/// <param name="Time">When the server took it.</param>
/// <param name="Kind"><c>message</c> (a person's), or Cog's reply kind: <c>output</c>, <c>notice</c>, <c>abort</c>,
/// <c>error</c>.</param>
/// <param name="Html">The body as HTML; every text in it is escaped by the server.</param>
/// <param name="Thread">The thread it belongs to, or <see langword="null"/>.</param>
/// <param name="ClientId">The id the browser gave the message it sent, echoed back so it can match it.</param>
public sealed record WebChatMessage(
    long Id, string Room, string Author, bool FromCog, DateTimeOffset Time, string Kind, string Html, string? Thread, string? ClientId);
