using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Mqtt.Transport;

/// <summary>The relay transport's log messages (the catalog: tests pin these texts). No message holds a password.</summary>
static partial class TransportLog
{
    public const string ConnectedText = "Connected to the MQTT broker {Broker} as {UserName} (client {ClientId}).";
    public const string ConnectFailedText = "Could not connect to the MQTT broker {Broker}: {Reason}. Retrying in {Delay}.";
    public const string DisconnectedText = "Lost the connection to the MQTT broker {Broker}: {Reason}. Reconnecting.";
    public const string SubscriptionRefusedText = "The MQTT broker {Broker} refused the subscription to '{TopicFilter}': {Reason}.";
    public const string MalformedText = "Dropped a message on '{Topic}': {Error}";
    public const string UnexpectedTopicText = "Dropped a message on '{Topic}': not a topic this server reads.";
    public const string HandlerFailedText = "The message on '{Topic}' could not be handled.";
    public const string StoppedText = "Disconnected from the MQTT broker {Broker}.";

    [LoggerMessage(201, LogLevel.Information, ConnectedText)]
    public static partial void Connected(ILogger logger, string broker, string userName, string clientId);

    [LoggerMessage(202, LogLevel.Warning, ConnectFailedText)]
    public static partial void ConnectFailed(ILogger logger, string broker, string reason, TimeSpan delay);

    [LoggerMessage(203, LogLevel.Warning, DisconnectedText)]
    public static partial void Disconnected(ILogger logger, string broker, string reason);

    [LoggerMessage(204, LogLevel.Error, SubscriptionRefusedText)]
    public static partial void SubscriptionRefused(ILogger logger, string broker, string topicFilter, string reason);

    [LoggerMessage(205, LogLevel.Warning, MalformedText)]
    public static partial void Malformed(ILogger logger, string topic, string error);

    [LoggerMessage(206, LogLevel.Warning, UnexpectedTopicText)]
    public static partial void UnexpectedTopic(ILogger logger, string topic);

    [LoggerMessage(207, LogLevel.Error, HandlerFailedText)]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(208, LogLevel.Information, StoppedText)]
    public static partial void Stopped(ILogger logger, string broker);
}
