namespace Cog.Runtime.Pipeline;

/// <summary>Kills pipelines wherever they run (<c>DELETE /v1/pipelines/:id</c>, <c>pipeline kill</c>): in this server,
/// or in the other server sharing the store that runs it. Which pipelines exist, and where each runs, is the shared
/// history's (<see cref="IHistoryStore"/>, with <see cref="PipelineHistoryEntry.Instance"/>), which every server
/// writes.</summary>
/// <remarks>Implemented by <see cref="Cluster.ClusterPipelines"/>. Thread-safe; never throws for a pipeline that is not
/// running.</remarks>
public interface IPipelineMonitor
{
    /// <summary>Stops <paramref name="pipeline"/> in the server that runs it (the engine there ends it with a "killed"
    /// failure).</summary>
    Task<PipelineKill> KillAsync(PipelineHistoryEntry pipeline, CancellationToken cancellationToken);
}
