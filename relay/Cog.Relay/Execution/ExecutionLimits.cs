using Cog.Worker;

namespace Cog.Relay.Execution;

/// <summary>Bounds on what one invocation may produce.</summary>
/// <param name="MaxOutputBytes">The most output (stdout, serialized items) a command may produce; more fails the
/// invocation with <see cref="ExecutionErrors.OutputTooLarge"/>. Default 4 MiB.</param>
/// <param name="MaxErrorBytes">The most stderr kept from a failed executable for the relay's log; the rest is read and
/// dropped. Default 64 KiB.</param>
/// <param name="ShownErrorBytes">The most stderr shown to the person as the error message. Default 4 KiB.</param>
/// <param name="ShownErrorLines">The most lines of stderr shown to the person. Default 100.</param>
sealed record ExecutionLimits(int MaxOutputBytes = 4 * 1024 * 1024, int MaxErrorBytes = 64 * 1024, int ShownErrorBytes = 4 * 1024,
    int ShownErrorLines = 100)
{
    /// <summary>The defaults.</summary>
    public static ExecutionLimits Default { get; } = new();
}
