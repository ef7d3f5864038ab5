using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Diagnostics;

/// <summary>Wraps an <see cref="ICommandExecutor"/> and records every invocation in <see cref="CogMetrics"/>: in flight
/// while it runs, then counted and timed by bundle and status.</summary>
/// <remarks>Thread-safe. Keeps the wrapped executor's contract (it never throws for a failing command); an exception
/// still ends the in-flight count (as an error).</remarks>
public sealed class MeteredCommandExecutor(ICommandExecutor inner, CogMetrics metrics, TimeProvider time) : ICommandExecutor
{
    /// <inheritdoc />
    public async Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = time.GetTimestamp();
        metrics.InvocationStarted(call.Bundle);
        var status = Contracts.Relays.ResultStatus.Error;
        try
        {
            var outcome = await inner.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
            status = outcome.Status;
            return outcome;
        }
        finally
        {
            metrics.InvocationCompleted(call.Bundle, status, time.GetElapsedTime(started));
        }
    }
}
