namespace Cog.Runtime.Pipeline;

/// <summary>A pipeline's place in the list of running pipelines; disposing it removes the pipeline from the list.</summary>
public sealed class PipelineLease : IDisposable
{
    readonly RunningPipelines _owner;
    readonly string _pipelineId;
    readonly CancellationTokenSource _kill;

    internal PipelineLease(RunningPipelines owner, string pipelineId, CancellationTokenSource kill) =>
        (_owner, _pipelineId, _kill) = (owner, pipelineId, kill);

    /// <summary>Cancelled when the pipeline is killed (or the token given to <see cref="RunningPipelines.Start"/> is cancelled).</summary>
    public CancellationToken Token => _kill.Token;

    /// <summary>Removes the pipeline from the list.</summary>
    public void Dispose()
    {
        _owner.End(_pipelineId);
        _kill.Dispose();
    }
}
