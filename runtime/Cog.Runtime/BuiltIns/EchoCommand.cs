using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>echo [args…]</c>: the arguments joined by spaces (objects and lists as JSON), as <c>{"body": [text]}</c>.</summary>
sealed class EchoCommand : IBuiltInCommand
{
    public string Name => "echo";

    public ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var text = string.Join(' ', call.Input.Arguments.Select(static a => a.ToDisplayString()));
        return ValueTask.FromResult(Output.Ok(Output.Body(new StringValue(text))));
    }
}
