using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Diagnostics;

/// <summary>Wraps an <see cref="ICommandExecutor"/> and counts every invocation's end in <see cref="CogMetrics"/>.</summary>
/// <remarks>Thread-safe. Keeps the wrapped executor's contract (it never throws for a failing command).</remarks>
public sealed class MeteredCommandExecutor(ICommandExecutor inner, CogMetrics metrics) : ICommandExecutor
{
    /// <inheritdoc />
    public async Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var outcome = await inner.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        metrics.InvocationCompleted(call.Bundle, outcome.Status);
        return outcome;
    }
}
