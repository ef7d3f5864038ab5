using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Pipeline;

/// <summary>The log messages of the pipeline runner (the catalog: tests pin these texts).</summary>
static partial class PipelineRunnerLog
{
    public const string HistoryNotRecordedText = "Could not record pipeline {PipelineId} of user {UserId} in the history: {Reason}. The pipeline runs anyway.";
    public const string HistoryNotFinishedText = "Could not mark pipeline {PipelineId} finished in the history: {Reason}.";
    public const string HistoryUnreadableText = "Could not read the history of user {UserId} to repeat the previous pipeline.";

    [LoggerMessage(601, LogLevel.Warning, HistoryNotRecordedText)]
    public static partial void HistoryNotRecorded(ILogger logger, Exception? exception, string pipelineId, string userId, string reason);

    [LoggerMessage(602, LogLevel.Warning, HistoryNotFinishedText)]
    public static partial void HistoryNotFinished(ILogger logger, Exception? exception, string pipelineId, string reason);

    [LoggerMessage(603, LogLevel.Warning, HistoryUnreadableText)]
    public static partial void HistoryUnreadable(ILogger logger, Exception exception, string userId);
}
