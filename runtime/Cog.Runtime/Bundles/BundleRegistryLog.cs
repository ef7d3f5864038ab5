using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Bundles;

/// <summary>The log messages of the bundle registry (the catalog: tests pin these texts).</summary>
static partial class BundleRegistryLog
{
    public const string PublishedText = "Published revision {Revision} of the assignments of relay {RelayId}: {Count} bundle versions.";
    public const string PublishFailedText = "Could not publish revision {Revision} of the assignments of relay {RelayId}; it will be published again with the next change.";

    public const string DevChecksFailedText = "Dev mode: {Bundle} {Version} does not pass its checks: {Errors}";

    [LoggerMessage(401, LogLevel.Debug, PublishedText)]
    public static partial void Published(ILogger logger, string relayId, long revision, int count);

    [LoggerMessage(402, LogLevel.Warning, PublishFailedText)]
    public static partial void PublishFailed(ILogger logger, Exception exception, string relayId, long revision);

    [LoggerMessage(403, LogLevel.Warning, DevChecksFailedText)]
    public static partial void DevChecksFailed(ILogger logger, string bundle, string version, string errors);
}
