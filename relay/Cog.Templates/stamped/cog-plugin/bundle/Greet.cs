using Cog.Sdk;

namespace HelloBundle;

/// <summary><c>hello-bundle:greet [name] [--shout]</c>: greets the person named by the arguments, or the caller, as
/// <c>{"greeting": "Hello, NAME!"}</c>.</summary>
/// <remarks>The relay creates a new instance for every invocation, so fields never carry state between them.</remarks>
public sealed class Greet : ICommand
{
    /// <inheritdoc/>
    public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var name = context.Arguments.Count > 0 ? context.Arguments.JoinText() : context.User.Username;
        var greeting = $"Hello, {name}!";
        if (context.Options.GetBoolean("shout"))
            greeting = greeting.ToUpperInvariant();
        return Task.FromResult(CommandResult.Ok(new { greeting }));
    }
}
