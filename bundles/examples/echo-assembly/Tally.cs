using Cog.Sdk;

namespace EchoAssembly;

/// <summary><c>echo-assembly:tally</c> — counts the items piped into it (<c>seed '[{"n":1},{"n":2}]' | echo-assembly:tally</c>).</summary>
/// <remarks>
/// A stage runs once per input item. Each invocation appends its item to the pipeline store under the stage's
/// invocation id; the last one reads the list, answers, and cleans up.
/// </remarks>
public sealed class Tally : ICommand
{
    /// <inheritdoc/>
    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var items = await context.Store.AppendAsync(context.InvocationId, context.Input, cancellationToken);
        if (context.Step != InvocationStep.Last)
        {
            return CommandResult.Empty;
        }
        await context.Store.RemoveAsync(context.InvocationId, cancellationToken);
        context.Log.Debug($"tallied {items.GetArrayLength()} items");
        return CommandResult.Ok(new { count = items.GetArrayLength() });
    }
}
