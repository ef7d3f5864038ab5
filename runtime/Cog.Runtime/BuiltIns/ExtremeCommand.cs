using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>min [path]</c> and <c>max [path]</c>: the smallest or largest item of the stage, compared whole or by the
/// value at the path (<see cref="TermOrder"/>); the first one wins a tie. Items without the path are left out (Cog 1.0
/// compared their missing value as an atom, so <c>max</c> could pick an item that lacks the path).</summary>
sealed class ExtremeCommand(ItemCollector collector, bool largest) : CollectCommand(collector)
{
    public override string Name => largest ? "max" : "min";

    protected override string? Check(CommandCall call) =>
        call.Input.Arguments.Length > 1 ? BuiltInMessages.OverMaxArgs(1) : null;

    protected override ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken)
    {
        ImmutableArray<string>? path = call.Input.Arguments.IsEmpty ? null : ValuePath.Dotted(call.Input.Arguments[0].ToDisplayString());
        Value? best = null;
        Value? bestKey = null;
        foreach (var item in items)
        {
            var key = path is { } segments ? ValuePath.Get(item, segments) : item;
            if (key is null)
            {
                continue;
            }
            var order = bestKey is null ? 0 : TermOrder.Instance.Compare(key, bestKey);
            if (bestKey is null || (largest ? order > 0 : order < 0))
            {
                (best, bestKey) = (item, key);
            }
        }
        return ValueTask.FromResult(best is null ? CommandOutcome.Error(BuiltInMessages.PathNotFound) : Output.Ok(best));
    }
}
