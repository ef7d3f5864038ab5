namespace Cog.Runtime.Pipeline;

/// <summary>The pipeline engine's own messages for users. Rule refusals use the rule evaluator's texts (Cog 1.0's),
/// and parse and resolution errors the language's.</summary>
public static class PipelineMessages
{
    /// <summary>Cog 1.0's early-exit text: a stage produced no items, so the pipeline ended there.</summary>
    public const string NoOutput = "Pipeline executed successfully, but no output was returned";

    /// <summary>Cog 1.0's answer to <c>!!</c> when the caller has run nothing yet.</summary>
    public const string NoHistory = "No history available.";

    /// <summary>The pipeline was stopped by <c>pipeline kill</c>.</summary>
    public static string Killed(string pipelineId) => $"Pipeline {pipelineId} was killed.";

    /// <summary>A kill of a pipeline that runs in another server, which did not answer.</summary>
    public static string OwnerSilent(string pipelineId, string instance) =>
        $"Pipeline {pipelineId} runs on server '{instance}', which did not answer: it may have stopped (its pipelines are then marked interrupted once that is noticed) or be unreachable.";

    /// <summary>The pipeline ran past its deadline.</summary>
    public static string DeadlineExceeded(TimeSpan deadline) =>
        $"The pipeline did not finish within its time limit of {Seconds(deadline)} and was stopped.";

    /// <summary>The audit log could not record an event, so nothing more runs.</summary>
    public const string AuditUnavailable =
        "The audit log could not record this pipeline, so it was stopped before running anything further. Ask an operator to check Cog's store.";

    /// <summary>A command ran while the store was unavailable: its completion is spooled, and nothing further runs
    /// until the audit log can record it.</summary>
    public static string AuditPending(string invocationText) =>
        $"`{invocationText}` ran, but Cog's store is unavailable, so nothing further ran. Its audit record is pending and will be written when the store is back.";

    /// <summary>The pipeline ran to its end while the store was unavailable (shown with its output).</summary>
    public const string AuditRecordPending =
        "This pipeline ran while Cog's store was unavailable: its audit record is pending and will be written when the store is back.";

    /// <summary>An item was not a JSON object (Cog 1.0's "badmap").</summary>
    public static string ItemNotObject(string invocationText) =>
        $"The `{invocationText}` command returned an item that is not a JSON object.";

    static string Seconds(TimeSpan span) => span.TotalSeconds == 1 ? "1 second" : $"{span.TotalSeconds:0.###} seconds";
}
