using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>raw</c>: the input item unchanged, with the <c>raw</c> template (the data as JSON).</summary>
sealed class RawCommand : IBuiltInCommand
{
    /// <summary>The template that shows data as JSON.</summary>
    public const string Template = "raw";

    public string Name => "raw";

    public ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Output.Ok(call.Item, Template));
}
