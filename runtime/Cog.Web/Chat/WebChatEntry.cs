namespace Cog.Web.Chat;

/// <summary>One message shown in a web chat room: written by a person, or sent by Cog.</summary>
/// <param name="Id">A sequence number, unique in this server's history (it goes on from the kept history after a
/// restart).</param>
/// <param name="Room">The room's id.</param>
/// <param name="Author">The writer's username, or <c>cog</c>.</param>
/// <param name="FromCog">Whether Cog sent it.</param>
/// <param name="Time">When the server took it.</param>
/// <param name="Kind"><c>message</c> (a person's), or Cog's reply kind: <c>output</c>, <c>notice</c>, <c>abort</c>,
/// <c>error</c>.</param>
/// <param name="Html">The body as HTML; every text in it is escaped by the server.</param>
/// <param name="Thread">The thread it belongs to, or <see langword="null"/>.</param>
/// <param name="ClientId">The id the browser gave the message it sent, echoed back so it can match it.</param>
sealed record WebChatEntry(
    string Id, string Room, string Author, bool FromCog, DateTimeOffset Time, string Kind, string Html, string? Thread, string? ClientId);
