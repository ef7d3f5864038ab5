namespace Cog.Runtime.Slack;

/// <summary>Every message the Slack provider shows to operators and chat users (the catalog: tests pin these texts).
/// None ever holds a token.</summary>
static class SlackErrors
{
    public const string AppTokenShape = "The Slack app-level token must start with 'xapp-'.";
    public const string BotTokenShape = "The Slack bot token must start with 'xoxb-'.";
    public const string ApiUrlShape = "The Slack API URL must be an absolute http:// or https:// URL.";
    public const string NotStarted = "The Slack provider is not started.";

    /// <summary>Slack answered a Web API call with <c>ok:false</c>.</summary>
    public static string Refused(string method, string error) => $"Slack refused {method}: {error}.";

    /// <summary>A Web API call failed in transport after every retry.</summary>
    public static string Unreachable(string method, string reason) => $"Slack could not be reached for {method}: {reason}.";

    /// <summary>A Web API call stayed rate-limited after every retry.</summary>
    public static string RateLimited(string method, int attempts) =>
        $"Slack kept rate-limiting {method} after {attempts} attempts.";

    /// <summary>The note that ends a reply cut at <see cref="SlackOptions.MaxMessagesPerReply"/> messages.</summary>
    public static string Truncated(int omittedMessages) =>
        omittedMessages == 1 ? "(output cut: 1 more message not shown)" : $"(output cut: {omittedMessages} more messages not shown)";

    /// <summary>What a link with a scheme other than http, https and mailto shows instead of a link.</summary>
    public static string UnsafeLink(string label, string url) => label.Length == 0 ? url : $"{label} ({url})";
}
