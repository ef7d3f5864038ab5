using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Slack;

/// <summary>The Slack provider's log messages (the catalog: tests pin these texts). No message holds a token: Web API
/// calls are logged by method name only, never with their headers or URLs with query strings.</summary>
static partial class SlackLog
{
    public const string AuthenticatedText = "Slack: signed in to team {Team} as @{BotName} (user {BotUserId}, bot {BotId}).";
    public const string ConnectedText = "Slack: Socket Mode connection {Connection} is live ({Count} connection(s) reported by Slack).";
    public const string ConnectFailedText = "Slack: could not open a Socket Mode connection: {Reason}. Retrying in {Delay}.";
    public const string DisconnectRequestedText = "Slack: connection {Connection} asked to disconnect ({Reason}); opening a replacement.";
    public const string ConnectionLostText = "Slack: connection {Connection} was lost ({Reason}). Reconnecting in {Delay}.";
    public const string LinkDisabledText = "Slack: Socket Mode is disabled for the app ({Reason}); retrying in {Delay}. Enable Socket Mode in the app's settings.";
    public const string FatalText = "Slack: giving up connecting: {Reason}. Check the tokens (docs/slack.md).";
    public const string RateLimitedText = "Slack: {Method} was rate-limited; waiting {Delay} before attempt {Attempt}.";
    public const string TransientText = "Slack: {Method} failed ({Reason}); retrying in {Delay} (attempt {Attempt}).";
    public const string FrameDroppedText = "Slack: dropped a frame on connection {Connection}: {Reason}.";
    public const string EventFailedText = "Slack: an event on connection {Connection} could not be handled.";
    public const string LookupFailedText = "Slack: looking up {What} failed ({Reason}); using the id.";
    public const string BlocksRefusedText = "Slack: {Method} refused the reply's blocks ({Error}); posting the text alone.";
    public const string StoppedText = "Slack: stopped.";

    [LoggerMessage(701, LogLevel.Information, AuthenticatedText)]
    public static partial void Authenticated(ILogger logger, string team, string botName, string botUserId, string botId);

    [LoggerMessage(702, LogLevel.Information, ConnectedText)]
    public static partial void Connected(ILogger logger, int connection, int count);

    [LoggerMessage(703, LogLevel.Warning, ConnectFailedText)]
    public static partial void ConnectFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(704, LogLevel.Information, DisconnectRequestedText)]
    public static partial void DisconnectRequested(ILogger logger, int connection, string reason);

    [LoggerMessage(705, LogLevel.Warning, ConnectionLostText)]
    public static partial void ConnectionLost(ILogger logger, int connection, string reason, TimeSpan delay);

    [LoggerMessage(706, LogLevel.Error, LinkDisabledText)]
    public static partial void LinkDisabled(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(707, LogLevel.Error, FatalText)]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(708, LogLevel.Warning, RateLimitedText)]
    public static partial void RateLimited(ILogger logger, string method, TimeSpan delay, int attempt);

    [LoggerMessage(709, LogLevel.Warning, TransientText)]
    public static partial void Transient(ILogger logger, string method, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(710, LogLevel.Warning, FrameDroppedText)]
    public static partial void FrameDropped(ILogger logger, int connection, string reason);

    [LoggerMessage(711, LogLevel.Error, EventFailedText)]
    public static partial void EventFailed(ILogger logger, Exception exception, int connection);

    [LoggerMessage(712, LogLevel.Warning, LookupFailedText)]
    public static partial void LookupFailed(ILogger logger, string what, string reason);

    [LoggerMessage(713, LogLevel.Warning, BlocksRefusedText)]
    public static partial void BlocksRefused(ILogger logger, string method, string error);

    [LoggerMessage(714, LogLevel.Information, StoppedText)]
    public static partial void Stopped(ILogger logger);
}
