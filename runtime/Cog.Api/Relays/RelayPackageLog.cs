using Microsoft.Extensions.Logging;

namespace Cog.Api.Relays;

/// <summary>The package endpoint's log messages. Never a token; a username that is not a relay id is not logged
/// either (it may be a pasted secret).</summary>
static partial class RelayPackageLog
{
    public const string RefusedText = "Refused a package download from {Endpoint}: {Reason}";
    public const string ServedText = "Relay {RelayId} downloaded bundle {Bundle} {Version} ({Size} bytes).";

    [LoggerMessage(301, LogLevel.Warning, RefusedText)]
    public static partial void Refused(ILogger logger, string endpoint, string reason);

    [LoggerMessage(302, LogLevel.Information, ServedText)]
    public static partial void Served(ILogger logger, string relayId, string bundle, string version, long size);
}
