namespace Cog.Runtime.Pipeline;

/// <summary>A pipeline history row's new state, count and end time (<see cref="IHistoryStore.UpdateAsync"/>).</summary>
/// <param name="PipelineId">The pipeline.</param>
/// <param name="State">Its new state.</param>
/// <param name="Count">Items it returned.</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record HistoryUpdate(string PipelineId, PipelineState State, long Count, DateTimeOffset? FinishedAt);
