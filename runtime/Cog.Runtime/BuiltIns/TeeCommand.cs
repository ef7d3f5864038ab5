using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>tee &lt;name&gt;</c>: gathers the stage's items, saves them under the name (one item as an object, several
/// as a list; empty objects are left out, as in Cog 1.0) and passes them on.</summary>
sealed class TeeCommand(ItemCollector collector, INamedDataStore data) : CollectCommand(collector)
{
    public override string Name => "tee";

    protected override string? Check(CommandCall call) => call.Input.Arguments.Length switch
    {
        0 => BuiltInMessages.TeeNeedsName,
        1 => null,
        _ => BuiltInMessages.TooManyArgs(1),
    };

    protected override async ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken)
    {
        var kept = items.RemoveAll(static item => item is ObjectValue { Members.IsEmpty: true });
        Value saved = kept.Length == 1 ? kept[0] : new ListValue(kept);
        await data.SaveAsync(call.Input.Arguments[0].ToDisplayString(), saved, cancellationToken).ConfigureAwait(false);
        return CommandOutcome.Ok(kept);
    }
}
