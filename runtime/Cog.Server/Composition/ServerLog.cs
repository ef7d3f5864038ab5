using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>The server's start and stop log lines.</summary>
static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Store ready ({Provider}); {Applied} migration(s) applied.")]
    public static partial void StoreReady(ILogger logger, string provider, int applied);

    [LoggerMessage(2, LogLevel.Information, "Embedded MQTT broker listening on {Address}:{Port}.")]
    public static partial void BrokerStarted(ILogger logger, string address, int port);

    [LoggerMessage(3, LogLevel.Information, "REST API listening on {Url}.")]
    public static partial void ApiListening(ILogger logger, string url);

    [LoggerMessage(4, LogLevel.Warning, "Stopping {Part} failed.")]
    public static partial void StopFailed(ILogger logger, string part, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Built-in bundle operable {Version} installed and enabled.")]
    public static partial void BuiltInInstalled(ILogger logger, string version);

    [LoggerMessage(6, LogLevel.Information, "Dev mode: bundle {Bundle} {Version} from {Folder}.")]
    public static partial void DevBundle(ILogger logger, string bundle, string version, string folder);

    [LoggerMessage(7, LogLevel.Warning, "Dev mode: {Folder} was skipped: {Reason}")]
    public static partial void DevBundleSkipped(ILogger logger, string folder, string reason);

    [LoggerMessage(8, LogLevel.Information, "Dev mode: local relay {RelayId} started (process {ProcessId}).")]
    public static partial void DevRelayStarted(ILogger logger, string relayId, int processId);

    [LoggerMessage(9, LogLevel.Warning, "Dev mode: local relay exited with code {ExitCode}; restarting in {Delay}.")]
    public static partial void DevRelayExited(ILogger logger, int exitCode, TimeSpan delay);

    [LoggerMessage(10, LogLevel.Information, "relay {RelayId}: {Line}")]
    public static partial void DevRelayOutput(ILogger logger, string relayId, string line);

    [LoggerMessage(11, LogLevel.Warning, "Dev mode: {Bundle} {Version} is installed with a different manifest; bump the version in {Folder} to install the change.")]
    public static partial void DevManifestChanged(ILogger logger, string bundle, string version, string folder);

    [LoggerMessage(12, LogLevel.Information, "Expired API tokens deleted: {Count}.")]
    public static partial void TokensReaped(ILogger logger, int count);

    [LoggerMessage(14, LogLevel.Warning, "{Count} pipeline(s) left running when instance {Instance} last stopped were marked interrupted (audit: pipeline.interrupted).")]
    public static partial void PipelinesInterrupted(ILogger logger, int count, string instance);

    [LoggerMessage(15, LogLevel.Information, "Reconnected to the MQTT broker: every relay's assignments published again.")]
    public static partial void AssignmentsRepublished(ILogger logger);

    [LoggerMessage(16, LogLevel.Warning, "Reconnected to the MQTT broker, but publishing the relays' assignments again failed; the next reconnection or change publishes them.")]
    public static partial void AssignmentsRepublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "Audit key created: {Path} (key {KeyId}). Back it up: without it the audit log cannot be verified.")]
    public static partial void AuditKeyCreated(ILogger logger, string path, string keyId);
}
