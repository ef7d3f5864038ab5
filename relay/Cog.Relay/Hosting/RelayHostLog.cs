using Microsoft.Extensions.Logging;

namespace Cog.Relay.Hosting;

/// <summary>What the relay host logs.</summary>
static partial class RelayHostLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Relay {RelayId} {Version} started (instance {InstanceId}, concurrency {Concurrency}, tags [{Tags}]).")]
    public static partial void Started(ILogger logger, string relayId, string version, string instanceId, int concurrency, string tags);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Stopping: finishing running commands, then going offline.")]
    public static partial void Stopping(ILogger logger);
}
