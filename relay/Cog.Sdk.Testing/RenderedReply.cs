using System.Text.Json.Nodes;

namespace Cog.Sdk.Testing;

/// <summary>A pipeline's reply as each place shows it: composed from the bundle's template (or Cog's fallbacks and
/// error templates), then rendered by the same formatters the server uses.</summary>
/// <param name="PlainText">As <c>cogctl</c> and the REST API show it.</param>
/// <param name="Html">As the web console shows it.</param>
/// <param name="Slack">As the Slack provider posts it: one entry per <c>chat.postMessage</c>.</param>
public sealed record RenderedReply(string PlainText, string Html, IReadOnlyList<SlackMessage> Slack);

/// <summary>One Slack message of a reply.</summary>
/// <param name="Text">The mrkdwn text (always set: the notification, and what is posted if Slack refuses the blocks).</param>
/// <param name="Blocks">The Block Kit blocks (tables, cards), or <see langword="null"/> for plain text.</param>
public sealed record SlackMessage(string Text, JsonArray? Blocks);
