namespace Cog.Runtime.Relays;

/// <summary>The user-facing messages of relay selection and dispatch (tests pin these texts).</summary>
public static class RelayMessages
{
    /// <summary>The second sentence of <see cref="NoRelayOnline"/>. Cog 1.0 said to wait for the relay refresh
    /// interval; assignments now reach relays at once (docs/protocol.md §6.2), but a relay still has to download and
    /// announce the bundle version before it is sent invocations.</summary>
    public const string NoRelayOnlineHint =
        "If you just assigned the bundle to a relay group, try again once one of its relays has downloaded and announced it.";

    /// <summary>The reason sent to a relay in an <c>InvocationCancel</c> when the caller cancelled the dispatch (a
    /// <c>pipeline kill</c>, or the pipeline's deadline); for the relay's log.</summary>
    public const string CancelReason = "The pipeline was stopped.";

    /// <summary>The reason sent to a relay that acknowledged a request after the server had stopped waiting for it (and
    /// may have sent it to another relay); for the relay's log.</summary>
    public const string LateAckCancelReason =
        "Acknowledged after this server had stopped waiting for it; the request may have gone to another relay.";

    /// <summary>No relay that is online and announced the bundle version (within the command's relay groups or tag)
    /// is left, including when every one tried did not acknowledge in time (first sentence
    /// kept exactly).</summary>
    public static string NoRelayOnline(string bundle) =>
        $"No Cog Relays supporting the `{bundle}` bundle are currently online. {NoRelayOnlineHint}";

    /// <summary>The bundle is not assigned to any relay group (kept exactly); for the pipeline
    /// engine, which knows the relay groups.</summary>
    public static string NotAssigned(string bundle) =>
        $"Bundle '{bundle}' is not assigned to a relay group. Assign the bundle to a relay group and try again.";

    /// <summary>The relay acknowledged the invocation but no result arrived by its deadline; the command is never sent
    /// again (docs/protocol.md §8.3).</summary>
    public static string NoResult(string bundle, string command, string relayId) =>
        $"The `{bundle}:{command}` command was started on relay {relayId} but no result arrived by its deadline; it may or may not have completed.";

    /// <summary>The caller cancelled the dispatch.</summary>
    public static string Cancelled(string bundle, string command) =>
        $"The `{bundle}:{command}` command was stopped before it finished.";

    /// <summary>A relay holds an assigned version with another digest (<see cref="RelayProblemKind.DigestMismatch"/>).</summary>
    public static string DigestMismatch(string bundle, string version, string announced, string assigned, string? failure) =>
        $"{bundle} {version}: the relay holds digest {announced}, the server installed {assigned}; nothing is routed to it{Reported(failure)}";

    /// <summary>A relay announces other versions than the assigned one (<see cref="RelayProblemKind.VersionMismatch"/>).</summary>
    public static string VersionMismatch(string bundle, string version, IEnumerable<string> announced, string? failure) =>
        $"{bundle} {version}: the relay announces {string.Join(", ", announced)} instead; nothing is routed to it{Reported(failure)}";

    /// <summary>A relay does not announce an assigned version (<see cref="RelayProblemKind.NotAnnounced"/>).</summary>
    public static string NotAnnounced(string bundle, string version, string? failure) =>
        $"{bundle} {version}: assigned, but the relay does not announce it{Reported(failure)}";

    /// <summary>A relay announces a bundle that is not assigned to it (<see cref="RelayProblemKind.NotAssigned"/>).</summary>
    public static string AnnouncedNotAssigned(string bundle, string version) =>
        $"{bundle} {version}: the relay announces it, but it is not assigned to the relay (none of its relay groups has the bundle, or the bundle is disabled); nothing is routed to it";

    static string Reported(string? failure) => failure is null ? "" : $". The relay reports: {failure}";
}
