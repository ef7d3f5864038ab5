using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>One built-in command: runs one invocation on one item.</summary>
/// <remarks>Bad input is an error outcome, never an exception; <see cref="BuiltInCommands"/> turns any exception that
/// escapes (a bug) into an error outcome too.</remarks>
interface IBuiltInCommand
{
    /// <summary>The command name within the <c>operable</c> bundle.</summary>
    string Name { get; }

    /// <summary>Whether it gathers every item of its stage and answers at the last one.</summary>
    bool CollectsAll => false;

    ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken);
}
