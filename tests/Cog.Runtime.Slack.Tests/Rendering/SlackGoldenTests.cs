using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Runtime.Slack.Rendering;
using Cog.Testing.Rendering;

namespace Cog.Runtime.Slack.Tests.Rendering;

/// <summary>The golden reply cases (<see cref="GoldenReplies"/>, <c>tests/fixtures/replies</c>): the same template and
/// results as the plain-text and HTML renderings next to it, rendered for Slack (<c>expected.slack.json</c>: the
/// messages posted, each its <c>text</c> and Block Kit <c>blocks</c>). Every case is also checked against Slack's
/// limits: known block types, text set on every message, at most 50 blocks, section texts of at
/// most 3,000 characters, at most 10 fields of at most 2,000, headers of at most 150.</summary>
public sealed class SlackGoldenTests
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static readonly HashSet<string> BlockTypes = ["section", "header", "divider", "context", "table"];

    public static TheoryData<string> Cases() => GoldenReplies.Cases(GoldenReplies.Root);

    public static TheoryData<string> Cog1Cases() => GoldenReplies.Cases(GoldenReplies.Cog1Root);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Slack_rendering_matches_the_golden_file(string name) => CheckAsync(GoldenReplies.Root, name);

    [Theory]
    [MemberData(nameof(Cog1Cases))]
    public Task Cog1_bundle_template_renders_for_Slack_as_its_golden_file(string name) => CheckAsync(GoldenReplies.Cog1Root, name);

    static async Task CheckAsync(string root, string name)
    {
        var document = await GoldenReplies.ComposeAsync(root, name, TestContext.Current.CancellationToken);
        var parts = new SlackReplyRenderer().Render(document);

        var actual = new JsonArray([.. parts.Select(p => (JsonNode)new JsonObject { ["text"] = p.Text, ["blocks"] = p.Blocks?.DeepClone() })]);
        var failures = new StringBuilder();
        GoldenReplies.Check(root, name, "expected.slack.json", actual.ToJsonString(Json) + "\n", failures);
        Assert.True(failures.Length == 0, failures.ToString());
        Assert.NotEmpty(parts);
        Assert.All(parts, AssertWithinSlackLimits);
    }

    static void AssertWithinSlackLimits(SlackMessagePart part)
    {
        Assert.False(string.IsNullOrWhiteSpace(part.Text));
        if (part.Blocks is not { } blocks)
            return;
        Assert.InRange(blocks.Count, 1, 50);
        foreach (var block in blocks)
        {
            var type = block!["type"]!.GetValue<string>();
            Assert.Contains(type, BlockTypes);
            switch (type)
            {
                case "section" when block["text"] is { } text:
                    Assert.Equal("mrkdwn", text["type"]!.GetValue<string>());
                    Assert.InRange(text["text"]!.GetValue<string>().Length, 1, 3000);
                    break;
                case "section":
                    var fields = block["fields"]!.AsArray();
                    Assert.InRange(fields.Count, 1, 10);
                    Assert.All(fields, f => Assert.InRange(f!["text"]!.GetValue<string>().Length, 1, 2000));
                    break;
                case "header":
                    Assert.Equal("plain_text", block["text"]!["type"]!.GetValue<string>());
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, 150);
                    break;
                case "context":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 10);
                    break;
                case "table":
                    var rows = block["rows"]!.AsArray();
                    Assert.InRange(rows.Count, 1, 100);
                    Assert.All(rows, r => Assert.InRange(r!.AsArray().Count, 1, 20));
                    break;
            }
        }
    }
}
