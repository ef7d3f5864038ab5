using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Audit;

/// <summary>What the audit machinery logs.</summary>
static partial class AuditLog
{
    [LoggerMessage(EventId = 901, Level = LogLevel.Information,
        Message = "Audit checkpoint: record {Sequence}, seal {Hash}, at {Time:O}, key {KeyId}, signature {Mac}.")]
    public static partial void Checkpoint(ILogger logger, long sequence, string hash, DateTimeOffset time, string keyId, string mac);

    [LoggerMessage(EventId = 902, Level = LogLevel.Error, Message = "The audit checkpoint could not be written; retrying at the next interval.")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning,
        Message = "The audit chain moves from key {From} to key {To} at record {Sequence}: keep the previous key file listed in Cog:Audit:PreviousKeyFiles.")]
    public static partial void KeyRotated(ILogger logger, string from, string to, long sequence);

    [LoggerMessage(EventId = 904, Level = LogLevel.Critical,
        Message = "The audit log ends at record {Head}, but the checkpoint of {CheckpointTime:O} saw record {CheckpointSequence}: records were removed from the database. Recorded as audit.truncation.detected; audit verification keeps reporting it.")]
    public static partial void Truncated(ILogger logger, long head, long checkpointSequence, DateTimeOffset checkpointTime);
}
