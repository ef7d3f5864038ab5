using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>sort [field…] [--desc] [--asc]</c>: every item of the stage, sorted by the fields' values (then by the next
/// field) or, without fields or when an item has none of them, by the whole item (<see cref="TermOrder"/>). Stable.</summary>
sealed class SortCommand(ItemCollector collector) : CollectCommand(collector)
{
    public override string Name => "sort";

    protected override ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken)
    {
        var fields = call.Input.Arguments.Select(static a => a.ToDisplayString()).ToArray();
        var keyed = items.Select(item => (Item: item, Key: KeyOf(item, fields)));
        var sorted = Output.Flag(call, "desc")
            ? keyed.OrderByDescending(static k => k.Key, TermOrder.Instance)
            : keyed.OrderBy(static k => k.Key, TermOrder.Instance);
        return ValueTask.FromResult(CommandOutcome.Ok([.. sorted.Select(static k => k.Item)]));
    }

    /// <summary>The values of the fields (null where missing), or the item itself when it has none of them.</summary>
    static Value KeyOf(Value item, string[] fields)
    {
        if (fields.Length == 0 || item is not ObjectValue obj)
        {
            return item;
        }
        var values = ImmutableArray.CreateBuilder<Value>(fields.Length);
        var any = false;
        foreach (var field in fields)
        {
            if (obj.TryGetMember(field, out var value) && value is not NullValue)
            {
                values.Add(value);
                any = true;
            }
            else
            {
                values.Add(NullValue.Instance);
            }
        }
        return any ? new ListValue(values.MoveToImmutable()) : item;
    }
}
