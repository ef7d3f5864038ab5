using System.Globalization;

namespace Cog.Relay.Execution;

/// <summary>The messages the relay itself answers an invocation with (protocol §8.2; pinned by tests).</summary>
static class RelayMessages
{
    /// <summary>Cog 1.0's answer for a command the bundle version does not have.</summary>
    public const string CommandNotFound = "Command not found";

    /// <summary>The answer when the relay stopped while the command ran.</summary>
    public const string RelayStopping = "The command was stopped because the relay is shutting down.";

    /// <summary>Cog 1.0's answer for a bundle (version) the relay does not serve.</summary>
    public static string UnknownBundle(string bundle) => $"Unknown command bundle {bundle}";

    /// <summary>The relay's timeout message (protocol §8.2 rule 3).</summary>
    public static string TimedOut(long timeoutMs) =>
        string.Create(CultureInfo.InvariantCulture, $"The command did not finish within its time limit of {Describe(timeoutMs)} and was stopped.");

    /// <summary>The answer to a cancelled invocation (protocol §6.7).</summary>
    public static string Cancelled(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "The command was cancelled." : $"The command was cancelled: {reason}";

    /// <summary>The answer when the relay failed (a bug in the relay, not in the command).</summary>
    public static string RelayFailed(string exceptionType) =>
        $"The relay failed to run the command ({exceptionType}); see the relay's log.";

    static string Describe(long timeoutMs) =>
        timeoutMs % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{timeoutMs / 1000} s")
            : string.Create(CultureInfo.InvariantCulture, $"{timeoutMs} ms");
}
