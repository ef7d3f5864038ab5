using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>sleep &lt;seconds&gt;</c>: gathers the stage's items, then, at the last one, waits and passes them all on.
/// The wait ends early with an error when the pipeline is stopped or the command's timeout passes.</summary>
sealed class SleepCommand(ItemCollector collector, TimeProvider time) : CollectCommand(collector)
{
    public override string Name => "sleep";

    protected override string? Check(CommandCall call) => call.Input.Arguments switch
    {
        [] => BuiltInMessages.SleepNeedsDuration,
        [IntValue { Number: >= 0 }] => null,
        [_] => BuiltInMessages.SleepNotSeconds,
        _ => BuiltInMessages.SleepOneDuration,
    };

    protected override async ValueTask<CommandOutcome> CompleteAsync(CommandCall call, ImmutableArray<Value> items, CancellationToken cancellationToken)
    {
        var seconds = ((IntValue)call.Input.Arguments[0]).Number;
        var wait = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds - 1));
        using var timeout = new CancellationTokenSource(call.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await Task.Delay(wait, time, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return CommandOutcome.Error(BuiltInMessages.TimedOut(call.InvocationText, call.Timeout));
        }
        return CommandOutcome.Ok(items);
    }
}
