using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Cluster;

/// <summary>The log messages of the servers' cooperation over a shared store.</summary>
static partial class ClusterLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not tell the other servers that '{Change}' changed; their caches of it stay as they are until their next reload.")]
    public static partial void AnnounceFailed(ILogger logger, string change, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "The heartbeat of instance {Instance} failed; the next one tries again.")]
    public static partial void HeartbeatFailed(ILogger logger, string instance, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "The other servers took instance {Instance} for dead (no heartbeat for too long) and may have marked its running pipelines interrupted; registering it again.")]
    public static partial void DeclaredDead(ILogger logger, string instance);

    [LoggerMessage(4, LogLevel.Critical, "Instance name {Instance} was taken by a server on host {Host} while this one was taken for dead: two servers now share the name; give each its own Cog:InstanceName.")]
    public static partial void NameTakenWhileRunning(ILogger logger, string instance, string host);

    [LoggerMessage(5, LogLevel.Error, "The once-only work '{Lease}' failed; the next attempt tries again.")]
    public static partial void LeasedWorkFailed(ILogger logger, string lease, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Server {Instance} (host {Host}) stopped sending heartbeats at {HeartbeatAt:u}: marked {Count} of its pipelines interrupted.")]
    public static partial void DeadServerSwept(ILogger logger, string instance, string host, DateTimeOffset heartbeatAt, int count);

    [LoggerMessage(7, LogLevel.Warning, "Could not tell the user who ran pipeline {PipelineId} on {Provider} that it was interrupted: {Reason}.")]
    public static partial void InterruptionNotSent(ILogger logger, string pipelineId, string provider, string reason);
}
