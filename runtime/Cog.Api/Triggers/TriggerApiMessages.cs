namespace Cog.Api.Triggers;

/// <summary>The trigger endpoints' own messages (the trigger texts of Cog 1.0 are in
/// <c>Cog.Runtime.Triggers.TriggerErrors</c>). Tests pin them.</summary>
public static class TriggerApiMessages
{
    /// <summary>415: a body whose content type a trigger cannot read.</summary>
    public static string UnsupportedContentType(string? contentType) => contentType is null
        ? "A trigger request with a body needs a Content-Type: application/json or application/x-www-form-urlencoded."
        : $"A trigger cannot read a body of type {contentType}: send application/json or application/x-www-form-urlencoded.";
}
