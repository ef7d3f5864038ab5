using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Diagnostics;

/// <summary>Wraps the server's <see cref="IPipelineRunner"/> and records every pipeline's end in
/// <see cref="CogMetrics"/> (count by status and provider, duration).</summary>
/// <remarks>Thread-safe. Explanations pass through unrecorded.</remarks>
public sealed class MeteredPipelineRunner(IPipelineRunner inner, CogMetrics metrics, TimeProvider time) : IPipelineRunner
{
    /// <inheritdoc />
    public async Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var outcome = await inner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        metrics.PipelineCompleted(request.Caller.Provider, outcome.Status, time.GetElapsedTime(started));
        return outcome;
    }

    /// <inheritdoc />
    public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken) =>
        inner.ExplainAsync(request, cancellationToken);
}
