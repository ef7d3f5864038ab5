using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>unique</c>: every distinct item of the stage once, in the order first seen (<see cref="StrictEquality"/>).</summary>
sealed class UniqueCommand(ItemCollector collector) : CollectCommand(collector)
{
    public override string Name => "unique";

    protected override ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken)
    {
        var seen = new HashSet<Value>(StrictEquality.Instance);
        var unique = ImmutableArray.CreateBuilder<Value>();
        foreach (var item in items)
        {
            if (seen.Add(item))
            {
                unique.Add(item);
            }
        }
        return ValueTask.FromResult(CommandOutcome.Ok(unique.ToImmutable()));
    }
}
