using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>A command that gathers every item of its stage and answers once, at the last item.</summary>
abstract class CollectCommand(ItemCollector collector) : IBuiltInCommand
{
    public abstract string Name { get; }

    public bool CollectsAll => true;

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        // Arguments are checked at every item, as Cog 1.0's function clauses did, so a bad invocation fails at once.
        if (Check(call) is { } error)
        {
            return CommandOutcome.Error(error);
        }
        return collector.Collect(call, out var items) ? await CompleteAsync(call, items, cancellationToken).ConfigureAwait(false) : Output.Nothing;
    }

    /// <summary>The error message for the invocation's arguments and options, or <see langword="null"/> when they are fine.</summary>
    protected virtual string? Check(CommandCall call) => null;

    /// <summary>Answers with every item of the stage.</summary>
    protected abstract ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken);
}
