using Cog.Sdk;

namespace EchoAssembly;

/// <summary><c>echo-assembly:repeat</c> — repeats its arguments, optionally in upper case.</summary>
/// <remarks>The relay creates a new instance for every invocation, so fields never carry state between them.</remarks>
public sealed class Repeat : ICommand
{
    /// <inheritdoc/>
    public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var text = context.Arguments.JoinText();
        if (context.Options.GetBoolean("upper"))
        {
            text = text.ToUpperInvariant();
        }
        return Task.FromResult(CommandResult.Ok(new { body = text }));
    }
}
