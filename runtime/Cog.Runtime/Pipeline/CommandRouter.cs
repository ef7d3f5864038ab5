using Cog.Runtime.Bundles;

namespace Cog.Runtime.Pipeline;

/// <summary>The pipeline engine's <see cref="ICommandExecutor"/>: commands of the built-in bundle (<c>operable</c>) run
/// in the server, every other command on a relay.</summary>
/// <remarks>Thread-safe when both executors are.</remarks>
public sealed class CommandRouter : ICommandExecutor
{
    readonly ICommandExecutor _builtIns;
    readonly ICommandExecutor _relays;

    /// <summary>Routes <see cref="Bundle.BuiltInName"/> to <paramref name="builtIns"/> and the rest to <paramref name="relays"/>.</summary>
    public CommandRouter(ICommandExecutor builtIns, ICommandExecutor relays)
    {
        ArgumentNullException.ThrowIfNull(builtIns);
        ArgumentNullException.ThrowIfNull(relays);
        (_builtIns, _relays) = (builtIns, relays);
    }

    /// <inheritdoc />
    public Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Bundle == Bundle.BuiltInName
            ? _builtIns.ExecuteAsync(call, cancellationToken)
            : _relays.ExecuteAsync(call, cancellationToken);
    }
}
