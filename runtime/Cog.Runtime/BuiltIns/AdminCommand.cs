using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>One administrative command: checks the number of arguments (Cog 1.0's messages), then runs its operation,
/// which calls an administration service as the caller (<see cref="AdminReplies.Actor"/>).</summary>
/// <param name="name">The command name.</param>
/// <param name="minArguments">The fewest arguments it takes.</param>
/// <param name="maxArguments">The most arguments it takes (<see cref="int.MaxValue"/>: no limit).</param>
/// <param name="run">The operation.</param>
sealed class AdminCommand(string name, int minArguments, int maxArguments, Func<CommandCall, CancellationToken, Task<CommandOutcome>> run)
    : IBuiltInCommand
{
    public const int Unlimited = int.MaxValue;

    public string Name => name;

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var count = call.Input.Arguments.Length;
        if (count < minArguments)
        {
            return CommandOutcome.Error(minArguments == maxArguments
                ? BuiltInMessages.NotEnoughArgs(minArguments)
                : BuiltInMessages.UnderMinArgs(minArguments));
        }
        if (count > maxArguments)
        {
            return CommandOutcome.Error(minArguments == maxArguments
                ? BuiltInMessages.TooManyArgs(maxArguments)
                : BuiltInMessages.OverMaxArgs(maxArguments));
        }
        return await run(call, cancellationToken).ConfigureAwait(false);
    }
}
