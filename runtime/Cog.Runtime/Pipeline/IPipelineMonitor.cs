using System.Collections.Immutable;

namespace Cog.Runtime.Pipeline;

/// <summary>The pipelines running in this server, seen from outside (<c>GET/DELETE /v1/pipelines</c>,
/// <c>pipeline list/info/kill</c>): list, find, kill. Finished pipelines are in the history
/// (<see cref="IHistoryStore"/>).</summary>
/// <remarks>Implemented by <see cref="RunningPipelines"/>. Thread-safe; never throws for an unknown id.</remarks>
public interface IPipelineMonitor
{
    /// <summary>The running pipelines, oldest first.</summary>
    ImmutableArray<RunningPipeline> List();

    /// <summary>One running pipeline, or <see langword="null"/> when no pipeline with that id is running.</summary>
    RunningPipeline? Find(string pipelineId);

    /// <summary>Stops a running pipeline (the engine ends it with a "killed" failure).</summary>
    /// <returns>Whether a pipeline with that id was running.</returns>
    bool Kill(string pipelineId);
}
