using System.Text.Json.Nodes;

namespace Cog.Runtime.Slack.Rendering;

/// <summary>One <c>chat.postMessage</c> of a reply: the mrkdwn <c>text</c> (always set: the notification, the
/// screen-reader text, and what is posted alone if Slack refuses the blocks) and, for tables and cards, Block Kit
/// <c>blocks</c>.</summary>
sealed record SlackMessagePart(string Text, JsonArray? Blocks)
{
    /// <summary>The <c>chat.postMessage</c> body for this part.</summary>
    public JsonObject ToPayload(string channel, string? threadTs, bool withBlocks = true)
    {
        var payload = new JsonObject { ["channel"] = channel, ["text"] = Text };
        if (withBlocks && Blocks is not null)
            payload["blocks"] = Blocks.DeepClone();
        if (threadTs is not null)
            payload["thread_ts"] = threadTs;
        // Links in command output are not worth a preview card each.
        payload["unfurl_links"] = false;
        payload["unfurl_media"] = false;
        return payload;
    }
}
