namespace Cog.Runtime.Pipeline;

/// <summary>Whether a pipeline's audit records are in the audit log (<see cref="PipelineOutcome.Audit"/>).</summary>
public enum PipelineAuditState
{
    /// <summary>Every record is in the audit log.</summary>
    Recorded,

    /// <summary>A command ran while the store was unavailable: its records are spooled on the server's disk and will be
    /// written to the audit log, in order, when the store is back. Nothing was dispatched after them.</summary>
    Pending,

    /// <summary>The audit log could not record the pipeline's start or a decision, so nothing (more) ran.</summary>
    Unavailable,
}
