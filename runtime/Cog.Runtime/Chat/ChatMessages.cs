namespace Cog.Runtime.Chat;

/// <summary>The catalog of the chat service's user-facing texts and common template names. Tests pin
/// them.</summary>
public static class ChatMessages
{
    /// <summary>The common template announcing an edited command; data: <c>mention</c> (the
    /// sender, a <see cref="Rendering.MentionData"/> object), <c>command</c>.</summary>
    public const string EditedCommandTemplate = "edited-command";

    /// <summary>The common template for a sender with no Cog account; data: <c>mention</c>,
    /// <c>provider</c>, <c>display_name</c>, <c>handle</c>, <c>user_creators</c> (mention objects of the users who may
    /// register them).</summary>
    public const string UnregisteredUserTemplate = "unregistered-user";

    /// <summary>The common template greeting a self-registered user; data: <c>mention</c>, <c>first_name</c>,
    /// <c>username</c>, <c>provider</c>, <c>display_name</c>.</summary>
    public const string SelfRegistrationSuccessTemplate = "self-registration-success";

    /// <summary>The common template when self-registration failed; data: <c>mention</c>, <c>provider</c>,
    /// <c>display_name</c>, <c>handle</c>.</summary>
    public const string SelfRegistrationFailedTemplate = "self-registration-failed";

    /// <summary>Cog 1.0's text of the <c>edited-command</c> reply as plain text (what the template says, with the mention
    /// shown as <c>@handle</c>).</summary>
    public static string EditedCommand(string mention, string command) => $"{mention} Executing edited command '{command}'";

    /// <summary>What the person who ran a pipeline is told when the server running it died: <paramref name="mention"/>
    /// (empty in a direct conversation, else the mention and a space) and the pipeline's text, the server's instance
    /// name and the pipeline id (its <c>pipeline.interrupted</c> audit record says which commands had run).</summary>
    public static string Interrupted(string mention, string pipeline, string instance, string pipelineId) =>
        $"{mention}Your pipeline '{pipeline}' was interrupted: Cog server {instance} stopped while running it. " +
        $"Commands it had started may have run; the audit log's record of pipeline {pipelineId} says which. Run it again if it is still needed.";

    /// <summary>The first line of an invalid-redirect error: every target that cannot be used.</summary>
    public static string InvalidRedirects(IEnumerable<string> targets) =>
        "No commands were executed because the following redirects are invalid: " + string.Join(", ", targets);

    /// <summary>Hint: rooms Cog would have to be invited to.</summary>
    public static string NotAMemberHint(IEnumerable<string> targets) =>
        "Additionally, the bot must be invited to these rooms before Cog can redirect to them: " + string.Join(", ", targets);

    /// <summary>Hint: names that match more than one room or user.</summary>
    public static string AmbiguousHint(IEnumerable<string> targets) =>
        "The following redirects are ambiguous; please refer to users and rooms according to the conventions of your chat provider (e.g. `@user`, `#room`): "
        + string.Join(", ", targets);

    /// <summary>Hint: targets naming a chat provider that is not running.</summary>
    public static string UnknownProviderHint(IEnumerable<string> targets, IEnumerable<string> known)
    {
        var names = string.Join(", ", known);
        return "These redirects name a chat provider that is not running: " + string.Join(", ", targets)
            + (names.Length == 0 ? " (no chat provider is running)" : $" (running: {names})");
    }

    /// <summary>Hint: <c>chat://</c> targets of a pipeline that did not come from chat when no chat provider runs.</summary>
    public static string NoChatProviderHint(IEnumerable<string> targets) =>
        "No chat provider is running, so these redirects cannot be delivered: " + string.Join(", ", targets);

    /// <summary>Hint: targets a provider could not be asked about.</summary>
    public static string UnreachableHint(IEnumerable<string> targets) =>
        "The chat provider could not be reached to look these redirects up: " + string.Join(", ", targets);

    /// <summary>Hint: <c>me</c> on a provider where the sender has no chat handle.</summary>
    public static string NoHandleHint(IEnumerable<string> targets) =>
        "You have no chat handle on the chat provider of these redirects: " + string.Join(", ", targets);

    /// <summary>Told to the origin when the reply could not be delivered to some destinations (the others got it).</summary>
    public static string DeliveryFailed(IEnumerable<string> targets) =>
        "The output could not be delivered to: " + string.Join(", ", targets);

    /// <summary>How a provider is named in replies (<c>slack</c> → <c>Slack</c>).</summary>
    public static string DisplayName(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.Length == 0 ? provider : char.ToUpperInvariant(provider[0]) + provider[1..];
    }
}
