using Cog.Relay.Execution;

namespace Cog.Relay.Tests.Support;

/// <summary>An engine whose commands run until the test opens the gate (or their token fires), counting how many
/// are running; or, with <see cref="Throw"/>, one that fails like a relay bug.</summary>
sealed class GatedEngine : ICommandEngine
{
    readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _running;
    int _started;

    public bool Throw { get; init; }

    public int Running => Volatile.Read(ref _running);

    public int Started => Volatile.Read(ref _started);

    public void Open() => _gate.TrySetResult();

    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        if (Throw)
        {
            throw new InvalidOperationException("a bug in the relay");
        }
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _running);
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return ExecutionOutcome.Ok([]);
        }
        catch (OperationCanceledException)
        {
            return ExecutionOutcome.Error("gate cancelled");
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
