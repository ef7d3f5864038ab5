using Microsoft.Extensions.Logging;

namespace Cog.Web.Chat;

/// <summary>The web chat's log messages (never a token).</summary>
static partial class WebChatLog
{
    [LoggerMessage(1, LogLevel.Information, "Web chat: {User} connected (session {Session}).")]
    public static partial void Connected(ILogger logger, string user, long session);

    [LoggerMessage(2, LogLevel.Information, "Web chat: {User} disconnected (session {Session}).")]
    public static partial void Disconnected(ILogger logger, string user, long session);

    [LoggerMessage(3, LogLevel.Warning, "Web chat: session {Session} of {User} was too slow to read its messages and was dropped.")]
    public static partial void Dropped(ILogger logger, long session, string user);

    [LoggerMessage(4, LogLevel.Warning, "Web chat: a connection was refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Error, "Web chat: the inbox failed on a message from {User}.")]
    public static partial void InboxFailed(ILogger logger, string user, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Web chat: {Count} messages of the history file {Path} were imported into the store; the file is now {Renamed}.")]
    public static partial void HistoryImported(ILogger logger, int count, string path, string renamed);

    [LoggerMessage(7, LogLevel.Warning, "Web chat: {Path}:{Line} is not a chat history entry and was left out.")]
    public static partial void HistoryLineSkipped(ILogger logger, string path, int line);

    [LoggerMessage(8, LogLevel.Error, "Web chat: a message from {User} could not be stored, so it was neither shown nor run.")]
    public static partial void NotStored(ILogger logger, string user, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Web chat: message {Id} could not be announced to the other servers; their sessions see it when they reconnect.")]
    public static partial void NotAnnounced(ILogger logger, long id, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Web chat: the message another server announced ({Payload}) could not be read from the store; its sessions here see it when they reconnect.")]
    public static partial void NotShown(ILogger logger, string payload, Exception exception);
}
