namespace Cog.Runtime.Pipeline;

/// <summary>The user-facing messages of running a command on a relay that the relay bus does not produce itself
/// (tests pin these texts). No relay online, not assigned, no result and cancelled are
/// <see cref="Relays.RelayMessages"/>.</summary>
public static class RelayExecutionMessages
{
    /// <summary>Cog 1.0's text when the bundle has no enabled version (disabled after the pipeline was planned).</summary>
    public static string BundleDisabled(string bundle) => $"The {bundle} bundle is currently disabled";

    /// <summary>Cog 1.0's text when the bundle's relay groups hold relays but every one of them is disabled.</summary>
    public static string NoEnabledRelays(string bundle) =>
        $"No Cog Relays supporting the `{bundle}` bundle are currently available. There are one or more relays serving the bundle, but they are disabled. Enable an appropriate relay and try again.";

    /// <summary>The relay reported an error without a message.</summary>
    public static string FailedWithoutMessage(string bundle, string command) => $"The `{bundle}:{command}` command failed.";
}
