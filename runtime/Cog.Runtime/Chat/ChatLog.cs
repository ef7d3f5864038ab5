using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Chat;

/// <summary>The chat service's log messages (never a token: providers' exception messages are safe by contract).</summary>
static partial class ChatLog
{
    [LoggerMessage(1201, LogLevel.Warning, "Could not deliver the reply of pipeline {PipelineId} to {Target} (provider {Provider}, room {RoomId}).")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string provider, string roomId, string target, string pipelineId);

    [LoggerMessage(1202, LogLevel.Error, "A chat message from provider {Provider} (message {MessageId}) could not be handled.")]
    public static partial void MessageFailed(ILogger logger, Exception exception, string provider, string messageId);

    [LoggerMessage(1203, LogLevel.Warning, "A chat message came from provider {Provider}, which is not running; ignored.")]
    public static partial void UnknownProvider(ILogger logger, string provider);

    [LoggerMessage(1204, LogLevel.Information, "Chat provider {Provider} started.")]
    public static partial void ProviderStarted(ILogger logger, string provider);

    [LoggerMessage(1205, LogLevel.Error, "Chat provider {Provider} could not be stopped cleanly.")]
    public static partial void ProviderStopFailed(ILogger logger, Exception exception, string provider);

    [LoggerMessage(1206, LogLevel.Warning, "{Count} chat pipelines were still running after the shutdown grace period and were cancelled.")]
    public static partial void ShutdownCancelled(ILogger logger, int count);

    [LoggerMessage(1207, LogLevel.Information, "Self-registered chat user {Handle} on {Provider} as Cog user {Username}.")]
    public static partial void SelfRegistered(ILogger logger, string handle, string provider, string username);

    [LoggerMessage(1208, LogLevel.Warning, "Self-registration of chat user {Handle} on {Provider} failed.")]
    public static partial void SelfRegistrationFailed(ILogger logger, string handle, string provider);

    [LoggerMessage(1209, LogLevel.Information, "A message from unregistered chat user {Handle} ({ProviderUserId}) on {Provider} was refused.")]
    public static partial void Unregistered(ILogger logger, string handle, string providerUserId, string provider);

    [LoggerMessage(1210, LogLevel.Warning, "The store could not record that this server handles chat delivery {Key} of provider {Provider}; handling it anyway (a repeated delivery during the outage may be answered twice).")]
    public static partial void DeliveryUnclaimed(ILogger logger, Exception exception, string provider, string key);
}
