using Microsoft.Extensions.Logging;

namespace Cog.Relay.Transport;

/// <summary>What the session logs. Never the token.</summary>
sealed partial class RelaySession
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connecting to the broker at {Host}:{Port} ({Scheme}) as relay {RelayId}.")]
    static partial void LogConnecting(ILogger logger, string host, int port, string scheme, string relayId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connected to the broker at {Host}:{Port}.")]
    static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Disconnected from the broker ({Reason}) {Detail}")]
    static partial void LogDisconnected(ILogger logger, string reason, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Cannot connect to the broker at {Host}:{Port}: {Reason}")]
    static partial void LogConnectFailed(ILogger logger, string host, int port, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error,
        Message = "The broker refused relay {RelayId}: bad user name or password (0x86). Check the relay id and token (cogctl relay create shows the token once); retrying with back-off.")]
    static partial void LogBadCredentials(ILogger logger, string relayId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error,
        Message = "The broker refused relay {RelayId}: not authorized (0x87). The relay may be disabled (cogctl relay enable); retrying with back-off.")]
    static partial void LogNotAuthorized(ILogger logger, string relayId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "The broker refused the connection: {Code} (0x{Number:x2}) {Reason}; retrying with back-off.")]
    static partial void LogRefusedOther(ILogger logger, string code, int number, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Connecting again in {Seconds:0.0} s.")]
    static partial void LogReconnecting(ILogger logger, double seconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "The broker refused the subscription to {Topic}: {Code}.")]
    static partial void LogSubscriptionRefused(ILogger logger, string topic, string code);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Dropped a message on {Topic}: {Error}")]
    static partial void LogUnreadable(ILogger logger, string topic, string error);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Dropped a message on {Topic}: it names relay '{Other}'.")]
    static partial void LogOtherRelay(ILogger logger, string topic, string other);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Dropped a message on unexpected topic {Topic}.")]
    static partial void LogUnexpectedTopic(ILogger logger, string topic);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Relay bug while handling a message on {Topic}.")]
    static partial void LogHandlerBug(ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Ignored assignments revision {Revision}: revision {Applied} is newer.")]
    static partial void LogOldRevision(ILogger logger, long revision, long applied);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Applying assignments revision {Revision} ({Count} bundle versions).")]
    static partial void LogApplying(ILogger logger, long revision, int count);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "Relay bug while applying assignments revision {Revision}.")]
    static partial void LogApplyBug(ILogger logger, Exception exception, long revision);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Announced {Count} ready bundle versions and {Failures} failures (sequence {Sequence}).")]
    static partial void LogAnnounced(ILogger logger, long sequence, int count, int failures);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "The broker refused a publish to {Topic}: {Code} {Reason}")]
    static partial void LogPublishRefused(ILogger logger, string topic, string code, string reason);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "Cannot publish to {Topic}: {Reason}")]
    static partial void LogPublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The result of {RequestId} reached no server; it is kept and published again until the server confirms it (or its deadline {Deadline:O} passes).")]
    static partial void LogResultKept(ILogger logger, string requestId, DateTimeOffset deadline);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Dropped the kept result of {RequestId}: its deadline passed before the server confirmed it.")]
    static partial void LogResultExpired(ILogger logger, string requestId);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Published the result of {RequestId} again: the server has not confirmed it yet.")]
    static partial void LogResultRepublished(ILogger logger, string requestId);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Disconnecting failed: {Reason}")]
    static partial void LogDisconnectFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Stopped.")]
    static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "No server is subscribed to {Topic} (the broker may have restarted); publishing again.")]
    static partial void LogNoSubscriber(ILogger logger, string topic);
}
