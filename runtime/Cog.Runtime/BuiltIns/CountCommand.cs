using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>count [path]</c>: how many items the stage has, or how many have a value other than null or false at
/// the path, as <c>{"body": [n]}</c>. A lone empty object counts as none (<c>count</c> as the first stage gives 0).</summary>
sealed class CountCommand(ItemCollector collector) : CollectCommand(collector)
{
    public override string Name => "count";

    protected override string? Check(CommandCall call) =>
        call.Input.Arguments.Length > 1 ? BuiltInMessages.OverMaxArgs(1) : null;

    protected override ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken)
    {
        long count;
        if (call.Input.Arguments.IsEmpty)
        {
            count = items is [ObjectValue { Members.IsEmpty: true }] ? 0 : items.Length;
        }
        else
        {
            var path = ValuePath.Dotted(call.Input.Arguments[0].ToDisplayString());
            count = items.Count(item => ValuePath.Get(item, path) is not (null or BoolValue { Flag: false }));
        }
        return ValueTask.FromResult(Output.Ok(Output.Body(new IntValue(count))));
    }
}
