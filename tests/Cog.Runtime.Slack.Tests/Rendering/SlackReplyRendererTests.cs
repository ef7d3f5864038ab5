using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Runtime.Slack.Rendering;

namespace Cog.Runtime.Slack.Tests.Rendering;

/// <summary>Reply documents rendered as Slack messages, pinned by golden files (Golden/*.json: the list of messages, each
/// its <c>text</c> and <c>blocks</c>). Set COG_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, and review
/// the diff.</summary>
public sealed class SlackReplyRendererTests
{
    static readonly SlackReplyRenderer Renderer = new();

    static ImmutableArray<ReplyInline> T(string text) => [new TextInline(text)];

    static ImmutableArray<ReplyInline> I(params ReplyInline[] inlines) => [.. inlines];

    public static TheoryData<string> Cases => [.. Documents.Keys];

    static readonly Dictionary<string, ReplyDocument> Documents = new()
    {
        ["inlines"] = new(ReplyKind.Output, [
            new ParagraphBlock(I(
                new TextInline("Plain <tag> & "), new StrongInline(T("bold")), new TextInline(", "), new EmphasisInline(T("italic")),
                new TextInline(", "), new StrikeInline(T("gone")), new TextInline(", "), new CodeInline("a`b<c>"), new LineBreakInline(),
                new LinkInline("https://example.com/?a=1&b=2|x", T("a <link>")), new TextInline(" "), new LinkInline("https://example.com", []),
                new TextInline(" "), new LinkInline("javascript:alert(1)", T("evil")), new TextInline(" "), new StrongInline([]))),
            new ParagraphBlock(T("second paragraph")),
        ]),
        ["lists-quote-heading-rule"] = new(ReplyKind.Output, [
            new HeadingBlock(1, T("Releases")),
            new ListBlock(false, 1, [
                [new ParagraphBlock(T("web-7"))],
                [new ParagraphBlock(T("db-2")), new ListBlock(true, 3, [[new ParagraphBlock(T("replica"))], [new ParagraphBlock(T("primary"))]])],
            ]),
            new QuoteBlock([new ParagraphBlock(I(new TextInline("quoted"), new LineBreakInline(), new TextInline("twice")))]),
            new RuleBlock(),
            new ParagraphBlock(T("end")),
        ]),
        ["code"] = new(ReplyKind.Output, [
            new ParagraphBlock(T("Output:")),
            new CodeBlock("json", "{\n  \"a\": \"<b> & ```fence```\"\n}"),
        ]),
        ["table"] = new(ReplyKind.Output, [
            new HeadingBlock(2, T("Relays")),
            new TableBlock([T("Name"), T("Bundles"), T("Status")],
                [
                    [T("relay-a"), T("12"), I(new StrongInline(T("online")))],
                    [T("relay-b <new>"), T("3"), T("offline")],
                ],
                [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Center]),
            new ParagraphBlock(T("2 relays")),
        ]),
        ["error-card"] = new(ReplyKind.Error, [
            new AttachmentBlock("Command Execution Error", null, "red", null, "Something went wrong", "Pipeline 8f3a", [
                new AttachmentField("Caller", "@alice", true),
                new AttachmentField("Pipeline", "echo <x> | fail", false),
            ], [new CodeBlock(null, "boom: disk full")]),
        ]),
        ["empty"] = new(ReplyKind.Output, []),
    };

    [Theory]
    [InlineData("slack", "U024BE7LH", "alice", "hi <@U024BE7LH>!")]
    [InlineData("SLACK", "W0ABC", "alice", "hi <@W0ABC>!")]
    [InlineData("web", "alice", "alice", "hi @alice!")]
    [InlineData("slack", "U1><!channel", "eve", "hi @eve!")]
    [InlineData("slack", "", "eve", "hi @eve!")]
    [InlineData("web", "x", "a<b>&c", "hi @a&lt;b&gt;&amp;c!")]
    public void A_mention_is_a_slack_mention_for_a_slack_person_with_a_well_formed_id_else_the_handle(string provider, string id, string handle, string expected)
    {
        var part = Assert.Single(Renderer.Render(new(ReplyKind.Notice, [new ParagraphBlock(I(new TextInline("hi "), new MentionInline(provider, id, handle), new TextInline("!")))])));

        Assert.Equal(expected, part.Text);
    }

    [Fact]
    public void A_mention_in_a_table_cell_is_the_handle()
    {
        var table = new TableBlock([T("who")], [[I(new MentionInline("slack", "U1", "bob"))]], [ColumnAlignment.Default]);

        var part = Assert.Single(Renderer.Render(new(ReplyKind.Output, [table])));

        Assert.Equal("@bob", part.Blocks![0]!["rows"]![1]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Documents_render_as_their_golden_messages(string name)
    {
        var parts = Renderer.Render(Documents[name]);

        var actual = new JsonArray([.. parts.Select(p => (JsonNode)new JsonObject { ["text"] = p.Text, ["blocks"] = p.Blocks?.DeepClone() })])
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Path.Combine(GoldenFolder(), name + ".json");
        if (Environment.GetEnvironmentVariable("COG_UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, actual);
        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public void Long_text_is_split_into_messages_with_balanced_fences_and_every_line_kept_in_order()
    {
        var lines = Enumerable.Range(1, 400).Select(i => $"line {i:000} " + new string('x', 20)).ToArray();
        var document = new ReplyDocument(ReplyKind.Output, [new ParagraphBlock(T("Log:")), new CodeBlock(null, string.Join('\n', lines))]);

        var parts = new SlackReplyRenderer(maxMessageLength: 1_000).Render(document);

        Assert.InRange(parts.Count, 10, 10);
        Assert.All(parts, p => Assert.True(p.Text.Length <= 1_000 && p.Blocks is null));
        Assert.All(parts, p => Assert.Equal(0, CountFences(p.Text) % 2));
        var all = new SlackReplyRenderer(maxMessageLength: 1_000, maxMessages: 100).Render(document);
        Assert.Equal($"(output cut: {all.Count - 10} more messages not shown)", parts[^1].Text.Split('\n')[^1]);
        Assert.Equal(all.Take(9), parts.Take(9));
        var kept = parts.SelectMany(p => p.Text.Split('\n')).Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(lines.Take(kept.Length), kept);
    }

    [Fact]
    public void Many_blocks_are_split_into_messages_within_slacks_limits()
    {
        var blocks = new List<ReplyBlock>();
        for (var i = 0; i < 30; i++)
        {
            blocks.Add(new HeadingBlock(2, T($"Record {i}")));
            blocks.Add(new TableBlock([T("key"), T("value")], [[T("id"), T(new string('v', 400))]], []));
        }

        var parts = new SlackReplyRenderer(maxMessages: 100).Render(new ReplyDocument(ReplyKind.Output, [.. blocks]));

        Assert.True(parts.Count >= 30, parts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(parts, p =>
        {
            Assert.InRange(p.Blocks!.Count, 1, SlackReplyRenderer.MaxBlocks);
            Assert.True(p.Blocks.Count(b => b!["type"]!.GetValue<string>() == "table") <= 1);
            Assert.True(p.Blocks.ToJsonString().Length < 13_000);
        });
        Assert.Equal(30, parts.Sum(p => p.Blocks!.Count(b => b!["type"]!.GetValue<string>() == "table")));
    }

    [Fact]
    public void A_table_too_big_for_a_table_block_becomes_an_ascii_grid_in_sections()
    {
        var rows = Enumerable.Range(0, 150).Select(i => ImmutableArray.Create(T($"row {i}"))).ToImmutableArray();
        var parts = Renderer.Render(new ReplyDocument(ReplyKind.Output, [new TableBlock([T("name")], rows, [])]));

        var sections = parts.SelectMany(p => p.Blocks!).ToList();
        Assert.All(sections, b => Assert.Equal("section", b!["type"]!.GetValue<string>()));
        Assert.All(sections, b => Assert.True(b!["text"]!["text"]!.GetValue<string>().Length <= SlackReplyRenderer.MaxSectionLength));
        Assert.Contains(sections, b => b!["text"]!["text"]!.GetValue<string>().Contains("| row 149 |", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_table_block_is_posted_again_as_text()
    {
        await using var h = await SlackHarness.StartAsync(new Cog.Testing.Slack.FakeSlackOptions { RejectTableBlocks = true, EchoBotMessages = false }, start: false);
        var document = Documents["table"];

        await h.Provider.SendAsync(new ChatRoom("C0GENERAL", "general", false), new ChatReply(document), TestContext.Current.CancellationToken);

        var post = Assert.Single(h.Slack.Posts);
        Assert.Null(post.Blocks);
        Assert.Equal(Renderer.Render(document)[0].Text, post.Text);
        Assert.Contains("Slack: chat.postMessage refused the reply's blocks (invalid_blocks); posting the text alone.", h.Logs.Texts);
    }

    [Fact]
    public async Task Golden_block_messages_are_accepted_by_the_fake_slack()
    {
        await using var h = await SlackHarness.StartAsync(new Cog.Testing.Slack.FakeSlackOptions { EchoBotMessages = false }, start: false);
        var room = new ChatRoom("C0GENERAL", "general", false);

        foreach (var document in Documents.Values)
            await h.Provider.SendAsync(room, new ChatReply(document), TestContext.Current.CancellationToken);

        Assert.Equal(Documents.Values.Sum(d => Renderer.Render(d).Count), h.Slack.Posts.Count);
        Assert.Contains(h.Slack.Posts, p => p.Blocks?.Any(b => b!["type"]!.GetValue<string>() == "table") == true);
    }

    static int CountFences(string text)
    {
        var count = 0;
        for (var i = text.IndexOf("```", StringComparison.Ordinal); i >= 0; i = text.IndexOf("```", i + 3, StringComparison.Ordinal))
            count++;
        return count;
    }

    static string GoldenFolder([CallerFilePath] string source = "") =>
        Environment.GetEnvironmentVariable("COG_UPDATE_GOLDEN") == "1"
            ? Path.Combine(Path.GetDirectoryName(source)!, "Golden")
            : Path.Combine(AppContext.BaseDirectory, "Rendering", "Golden");
}
