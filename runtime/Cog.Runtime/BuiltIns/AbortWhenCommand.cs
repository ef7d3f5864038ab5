using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>abort-when &lt;value&gt; [-m message]</c>: stops the pipeline (the abort template, message "Pipeline aborted"
/// or <c>--message</c>) when the first argument is <c>true</c> or a number greater than 0; otherwise passes the item on.
/// Cog 1.0 also aborted on any text, even <c>false</c> as text (Erlang term order); architecture E3 drops that.</summary>
sealed class AbortWhenCommand : IBuiltInCommand
{
    public string Name => "abort-when";

    public ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var abort = call.Input.Arguments.FirstOrDefault() switch
        {
            BoolValue { Flag: true } => true,
            IntValue { Number: > 0 } => true,
            FloatValue { Number: > 0 } => true,
            _ => false,
        };
        return ValueTask.FromResult(abort
            ? CommandOutcome.Abort(Output.Text(call, "message") ?? BuiltInMessages.PipelineAborted)
            : Output.Ok(call.Item));
    }
}
