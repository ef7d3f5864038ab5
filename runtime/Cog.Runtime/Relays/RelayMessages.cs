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
}
