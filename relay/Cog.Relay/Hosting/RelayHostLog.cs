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

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Bundle code isolation: {Mechanism} is not available: {Detail}.")]
    public static partial void MechanismMissing(ILogger logger, string mechanism, string detail);

    [LoggerMessage(EventId = 203, Level = LogLevel.Critical,
        Message = "Not starting: sandbox:require is set and this host lacks {Mechanisms} (see the warnings above).")]
    public static partial void SandboxRequired(ILogger logger, string mechanisms);
}
