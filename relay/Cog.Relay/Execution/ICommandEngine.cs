namespace Cog.Relay.Execution;

/// <summary>Runs commands of one kind: executables, C# scripts or plugin types.</summary>
/// <remarks>
/// <para>Contract for implementers: honour the cancellation token (it fires at the invocation's deadline
/// and when the pipeline is killed; an executable's process tree is killed then); turn every failure of the
/// command — an exception, a crash, a non-zero exit, output over <see cref="ExecutionLimits"/>, output that is not
/// JSON objects — into an <see cref="ExecutionOutcome"/> with a clear message. Only a bug in the relay itself may
/// throw. Engines are thread-safe: many invocations run at once.</para>
/// </remarks>
interface ICommandEngine
{
    /// <summary>Runs one invocation to its end.</summary>
    Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken);
}
