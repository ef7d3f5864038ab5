using Microsoft.Extensions.Logging;

namespace Cog.Relay.Bundles;

/// <summary>The bundle host's log messages. No message holds the relay's token.</summary>
static partial class BundleLog
{
    [LoggerMessage(101, LogLevel.Information, "Bundle {Bundle} {Version} is ready ({Digest}, {Source}).")]
    public static partial void Ready(ILogger logger, string bundle, string version, string digest, string source);

    [LoggerMessage(102, LogLevel.Warning, "Bundle {Bundle} {Version} could not be made ready; retrying in {Delay}: {Message}")]
    public static partial void Failed(ILogger logger, string bundle, string version, TimeSpan delay, string message);

    [LoggerMessage(103, LogLevel.Information, "Bundle {Bundle} {Version} is no longer served.")]
    public static partial void Retired(ILogger logger, string bundle, string version);

    [LoggerMessage(104, LogLevel.Information, "Bundle {Bundle} {Version} was unloaded.")]
    public static partial void Unloaded(ILogger logger, string bundle, string version);

    [LoggerMessage(105, LogLevel.Information, "Downloaded the package of bundle {Bundle} {Version} ({Size} bytes).")]
    public static partial void Downloaded(ILogger logger, string bundle, string version, long size);

    [LoggerMessage(106, LogLevel.Warning, "The cached package {File} failed verification and was discarded.")]
    public static partial void CacheDiscarded(ILogger logger, string file);

    [LoggerMessage(107, LogLevel.Debug, "Ignored assignments revision {Revision}: revision {Applied} is applied.")]
    public static partial void OldRevision(ILogger logger, long revision, long applied);

    [LoggerMessage(114, LogLevel.Information, "Dev bundle folder {Folder} holds the built-in bundle {Bundle}, which runs in the server; not served.")]
    public static partial void DevSkippedBuiltIn(ILogger logger, string folder, string bundle);

    [LoggerMessage(108, LogLevel.Warning, "Dev bundle folder {Folder}: {Message}")]
    public static partial void DevFailed(ILogger logger, string folder, string message);

    [LoggerMessage(109, LogLevel.Information, "Script compiler warmed up in {Elapsed}.")]
    public static partial void WarmedUp(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(110, LogLevel.Warning, "Could not delete {Folder}: {Reason}")]
    public static partial void DeleteFailed(ILogger logger, string folder, string reason);

    [LoggerMessage(111, LogLevel.Error, "A handler of the bundle host's Changed event threw.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(112, LogLevel.Warning, "The dev folder watcher failed; rescanning {Folder}.")]
    public static partial void WatcherFailed(ILogger logger, Exception exception, string folder);

    [LoggerMessage(113, LogLevel.Warning, "Script compiler warm-up failed.")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception);
}
