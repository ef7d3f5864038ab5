using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Mqtt.Broker;

/// <summary>The embedded broker's log messages (the catalog: tests pin these texts). No message ever holds a token
/// or a password.</summary>
static partial class BrokerLog
{
    public const string StartedText = "The embedded MQTT broker listens on {Address}:{Port} ({Transport}).";
    public const string StoppedText = "The embedded MQTT broker stopped.";
    public const string NoUserNameText = "Refused an MQTT connection from {Endpoint}: no username.";
    public const string InvalidRelayIdText = "Refused an MQTT connection from {Endpoint}: the username is not a valid relay id.";
    public const string UnknownRelayText = "Refused relay {RelayId} from {Endpoint}: no such relay.";
    public const string WrongTokenText = "Refused relay {RelayId} from {Endpoint}: wrong token.";
    public const string DisabledRelayText = "Refused relay {RelayId} from {Endpoint}: the relay is disabled.";
    public const string WrongClientIdText = "Refused relay {RelayId} from {Endpoint}: its client id must be '{Expected}', not '{ClientId}'.";
    public const string WrongServerPasswordText = "Refused the server user from {Endpoint}: wrong password.";
    public const string StoreFailedText = "Refused relay {RelayId} from {Endpoint}: the relay credentials could not be read.";
    public const string RelayConnectedText = "Relay {RelayId} connected from {Endpoint}.";
    public const string SubscriptionDeniedText = "Denied {UserName} (client {ClientId}) the subscription to '{TopicFilter}'.";
    public const string PublishDeniedText = "Dropped a message from {UserName} (client {ClientId}) on '{Topic}': not allowed to publish there.";
    public const string PublishTooLargeText = "Dropped a message from {UserName} (client {ClientId}) on '{Topic}': {Size} bytes, more than the limit of {Limit} bytes.";

    [LoggerMessage(1, LogLevel.Information, StartedText)]
    public static partial void Started(ILogger logger, string address, int port, string transport);

    [LoggerMessage(2, LogLevel.Information, StoppedText)]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, NoUserNameText)]
    public static partial void NoUserName(ILogger logger, string endpoint);

    [LoggerMessage(4, LogLevel.Warning, InvalidRelayIdText)]
    public static partial void InvalidRelayId(ILogger logger, string endpoint);

    [LoggerMessage(5, LogLevel.Warning, UnknownRelayText)]
    public static partial void UnknownRelay(ILogger logger, string relayId, string endpoint);

    [LoggerMessage(6, LogLevel.Warning, WrongTokenText)]
    public static partial void WrongToken(ILogger logger, string relayId, string endpoint);

    [LoggerMessage(7, LogLevel.Warning, DisabledRelayText)]
    public static partial void DisabledRelay(ILogger logger, string relayId, string endpoint);

    [LoggerMessage(8, LogLevel.Warning, WrongClientIdText)]
    public static partial void WrongClientId(ILogger logger, string relayId, string endpoint, string expected, string clientId);

    [LoggerMessage(9, LogLevel.Warning, WrongServerPasswordText)]
    public static partial void WrongServerPassword(ILogger logger, string endpoint);

    [LoggerMessage(10, LogLevel.Error, StoreFailedText)]
    public static partial void StoreFailed(ILogger logger, Exception exception, string relayId, string endpoint);

    [LoggerMessage(11, LogLevel.Information, RelayConnectedText)]
    public static partial void RelayConnected(ILogger logger, string relayId, string endpoint);

    [LoggerMessage(12, LogLevel.Warning, SubscriptionDeniedText)]
    public static partial void SubscriptionDenied(ILogger logger, string userName, string clientId, string topicFilter);

    [LoggerMessage(13, LogLevel.Warning, PublishDeniedText)]
    public static partial void PublishDenied(ILogger logger, string userName, string clientId, string topic);

    [LoggerMessage(14, LogLevel.Warning, PublishTooLargeText)]
    public static partial void PublishTooLarge(ILogger logger, string userName, string clientId, string topic, long size, int limit);
}
