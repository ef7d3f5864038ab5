using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Pipeline;

/// <summary>The log messages of the store-backed directory (the catalog: tests pin these texts).</summary>
static partial class StorePipelineDirectoryLog
{
    public const string StoredObjectSkippedText = "Stored {Kind} {Id} could not be loaded and is skipped: {Error}";

    [LoggerMessage(801, LogLevel.Error, StoredObjectSkippedText)]
    public static partial void StoredObjectSkipped(ILogger logger, string kind, string id, string error);
}
