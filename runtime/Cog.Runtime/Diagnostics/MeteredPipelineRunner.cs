using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Diagnostics;

/// <summary>Wraps the server's <see cref="IPipelineRunner"/> and records every pipeline in <see cref="CogMetrics"/>:
/// active while it runs, then counted by status and provider, and timed.</summary>
/// <remarks>Thread-safe. Explanations pass through unrecorded. A runner that throws (its contract says it answers an
/// outcome) still ends the active count, recorded as an execution failure.</remarks>
public sealed class MeteredPipelineRunner(IPipelineRunner inner, CogMetrics metrics, TimeProvider time) : IPipelineRunner
{
    /// <inheritdoc />
    public async Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        metrics.PipelineStarted(request.Caller.Provider);
        var status = PipelineStatus.ExecutionFailed;
        try
        {
            var outcome = await inner.RunAsync(request, cancellationToken).ConfigureAwait(false);
            status = outcome.Status;
            return outcome;
        }
        finally
        {
            metrics.PipelineCompleted(request.Caller.Provider, status, time.GetElapsedTime(started));
        }
    }

    /// <inheritdoc />
    public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken) =>
        inner.ExplainAsync(request, cancellationToken);
}
