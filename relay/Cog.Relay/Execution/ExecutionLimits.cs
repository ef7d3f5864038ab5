namespace Cog.Relay.Execution;

/// <summary>Bounds on what one invocation may produce.</summary>
/// <param name="MaxOutputBytes">The most output (stdout, serialized items) a command may produce; more fails the
/// invocation with <see cref="ExecutionErrors.OutputTooLarge"/>. Default 4 MiB.</param>
/// <param name="MaxErrorBytes">The most stderr kept from an executable for its error message; the rest is cut. Default 64 KiB.</param>
sealed record ExecutionLimits(int MaxOutputBytes = 4 * 1024 * 1024, int MaxErrorBytes = 64 * 1024)
{
    /// <summary>The defaults.</summary>
    public static ExecutionLimits Default { get; } = new();
}
