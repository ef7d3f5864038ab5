using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Postgres.Cluster;

/// <summary>The server bus's log messages.</summary>
static partial class BusLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not listen for other servers' notices on PostgreSQL ({Reason}); trying again in {Delay}.")]
    public static partial void ListenFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(2, LogLevel.Warning, "Lost the connection that listens for other servers' notices ({Reason}); listening again in {Delay}, then every cache reloads.")]
    public static partial void ConnectionLost(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Information, "Listening for other servers' notices again.")]
    public static partial void ListeningAgain(ILogger logger);

    [LoggerMessage(4, LogLevel.Warning, "Dropped an unreadable server notice ({Length} characters).")]
    public static partial void Unreadable(ILogger logger, int length);

    [LoggerMessage(5, LogLevel.Error, "A handler of server notices on '{Channel}' failed.")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);
}
