using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Relays;

/// <summary>The log messages of the relay registry and dispatcher (the catalog: tests pin these texts).</summary>
static partial class RelayLog
{
    public const string RelayIdMismatchText = "Ignored the {MessageType} message on the topic of relay {TopicRelayId}: it names relay {PayloadRelayId}.";
    public const string StaleOfflineText = "Ignored an offline status of relay {RelayId} from instance {InstanceId}, which is not its current instance.";
    public const string StaleAnnouncementText = "Ignored announcement {Sequence} of relay {RelayId}: not newer than the last one of its instance.";
    public const string NoAckText = "Relay {RelayId} did not acknowledge request {RequestId} (`{Bundle}:{Command}`) in time; trying another relay.";
    public const string LateAckText = "Relay {RelayId} acknowledged request {RequestId} after this server had stopped waiting for it; check the clocks of the relay, the broker and the server.";
    public const string AckAfterCancelText = "Relay {RelayId} acknowledged request {RequestId} after it was cancelled; sending it a cancel.";
    public const string NoResultText = "Relay {RelayId} acknowledged request {RequestId} (`{Bundle}:{Command}`) but sent no result by its deadline.";
    public const string UnknownReplyText = "Ignored the {MessageType} of request {RequestId} from relay {RelayId}: not a pending request of this server.";
    public const string ResultNotAwaitedText = "Ignored the result of request {RequestId} from relay {RelayId}: this server had stopped waiting for it.";
    public const string WrongRelayText = "Ignored the {MessageType} of request {RequestId} from relay {RelayId}: the request was sent to relay {ExpectedRelayId}.";
    public const string SendFailedText = "Could not send request {RequestId} to relay {RelayId}; trying another relay.";
    public const string CancelFailedText = "Could not send the cancel of request {RequestId} to relay {RelayId}.";
    public const string SendUncertainText = "The connection broke while sending request {RequestId} to relay {RelayId}; waiting for its ack before trying another relay.";
    public const string ReceiptFailedText = "Could not send the receipt of request {RequestId} to relay {RelayId}; the relay will publish the result again.";
    public const string DuplicateResultText = "Relay {RelayId} published the result of request {RequestId} again (it had no receipt yet); answered with a receipt only.";

    [LoggerMessage(101, LogLevel.Warning, RelayIdMismatchText)]
    public static partial void RelayIdMismatch(ILogger logger, string messageType, string topicRelayId, string payloadRelayId);

    [LoggerMessage(102, LogLevel.Information, StaleOfflineText)]
    public static partial void StaleOffline(ILogger logger, string relayId, string instanceId);

    [LoggerMessage(103, LogLevel.Debug, StaleAnnouncementText)]
    public static partial void StaleAnnouncement(ILogger logger, long sequence, string relayId);

    [LoggerMessage(104, LogLevel.Warning, NoAckText)]
    public static partial void NoAck(ILogger logger, string relayId, string requestId, string bundle, string command);

    [LoggerMessage(105, LogLevel.Warning, LateAckText)]
    public static partial void LateAck(ILogger logger, string relayId, string requestId);

    [LoggerMessage(106, LogLevel.Information, AckAfterCancelText)]
    public static partial void AckAfterCancel(ILogger logger, string relayId, string requestId);

    [LoggerMessage(107, LogLevel.Warning, NoResultText)]
    public static partial void NoResult(ILogger logger, string relayId, string requestId, string bundle, string command);

    [LoggerMessage(108, LogLevel.Debug, UnknownReplyText)]
    public static partial void UnknownReply(ILogger logger, string messageType, string requestId, string relayId);

    [LoggerMessage(109, LogLevel.Warning, ResultNotAwaitedText)]
    public static partial void ResultNotAwaited(ILogger logger, string requestId, string relayId);

    [LoggerMessage(110, LogLevel.Warning, WrongRelayText)]
    public static partial void WrongRelay(ILogger logger, string messageType, string requestId, string relayId, string expectedRelayId);

    [LoggerMessage(111, LogLevel.Warning, SendFailedText)]
    public static partial void SendFailed(ILogger logger, Exception exception, string requestId, string relayId);

    [LoggerMessage(112, LogLevel.Warning, CancelFailedText)]
    public static partial void CancelFailed(ILogger logger, Exception exception, string requestId, string relayId);

    [LoggerMessage(115, LogLevel.Warning, SendUncertainText)]
    public static partial void SendUncertain(ILogger logger, Exception exception, string requestId, string relayId);

    [LoggerMessage(113, LogLevel.Warning, ReceiptFailedText)]
    public static partial void ReceiptFailed(ILogger logger, Exception exception, string requestId, string relayId);

    [LoggerMessage(114, LogLevel.Debug, DuplicateResultText)]
    public static partial void DuplicateResult(ILogger logger, string relayId, string requestId);
}
