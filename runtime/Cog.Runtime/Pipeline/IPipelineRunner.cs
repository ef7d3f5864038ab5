namespace Cog.Runtime.Pipeline;

/// <summary>The front door of the pipeline engine, used by every origin (chat providers, the REST API, triggers):
/// expands <c>!!</c> (the caller's previous pipeline), records the pipeline in the caller's history and in the
/// running-pipelines table (so <c>pipeline list/kill</c> see it), runs it with <see cref="PipelineEngine"/>, and
/// marks it finished. <see cref="ExplainAsync"/> answers "may this caller run this, and which rule decides?" without
/// running anything.</summary>
/// <remarks>Thread-safe. Never throws for bad input, refusals or failing commands: those are outcomes.</remarks>
public interface IPipelineRunner
{
    /// <summary>Runs <paramref name="request"/> to its end.</summary>
    Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken);

    /// <summary>Parses and resolves <paramref name="request"/>'s text for its caller and decides every stage that has
    /// no variables, exactly as <see cref="RunAsync"/> would before running anything; runs nothing. Audited
    /// (<c>pipeline.explained</c>).</summary>
    Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken);
}
