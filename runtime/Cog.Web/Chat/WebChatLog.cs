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

    [LoggerMessage(6, LogLevel.Warning, "Web chat: the history file {Path} could not be written; the rooms' history is kept in memory until it can.")]
    public static partial void HistoryNotWritten(ILogger logger, string path, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Web chat: {Path}:{Line} is not a chat history entry and was left out.")]
    public static partial void HistoryLineSkipped(ILogger logger, string path, int line);
}
