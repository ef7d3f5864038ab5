using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Templates;
using Cog.Runtime.Tests.Templates;

namespace Cog.Runtime.Tests.Rendering;

public class TemplateReplyComposerTests
{
    static readonly ReplyContext Context = new("x", "@alice", DateTimeOffset.UnixEpoch);

    static PipelineOutcome Succeeded(string? template, params Value[] items) =>
        new("p1", PipelineStatus.Succeeded, [.. items], template, null, null, null, null) { TemplateSource = new TemplateSource("b", "1.0.0", "rule-list") };

    static ObjectValue Obj(params (string Key, Value Value)[] members) => new([.. members.Select(static m => new KeyValuePair<string, Value>(m.Key, m.Value))]);

    static async Task<string> TextAsync(ITemplateSource source, PipelineOutcome outcome)
    {
        var composer = new TemplateReplyComposer(source, new TemplateEngine(null, TimeProvider.System));
        return PlainTextFormatter.Format(await composer.ComposeAsync(outcome, Context, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_template_named_by_the_output_is_used_from_the_bundle_version_that_produced_it()
    {
        var source = new InMemoryTemplateSource()
            .Add("b", "1.0.0", TemplateDialect.Liquid, ("named", "new {{ results[0].a }}"))
            .Add("b", "0.9.0", TemplateDialect.Liquid, ("named", "old {{ results[0].a }}"));
        Assert.Equal("new 1", await TextAsync(source, Succeeded("named", Obj(("a", new IntValue(1))))));
    }

    [Fact]
    public async Task Without_a_name_the_command_s_own_template_is_used_with_hyphens_read_as_underscores()
    {
        var source = new InMemoryTemplateSource().Add("b", "1.0.0", TemplateDialect.Liquid, ("rule_list", "{{ results | size }} rules"));
        Assert.Equal("2 rules", await TextAsync(source, Succeeded(null, Obj(("a", new IntValue(1))), Obj(("a", new IntValue(2))))));
    }

    [Fact]
    public async Task Without_any_template_body_lines_use_the_text_fallback()
    {
        var body = Obj(("body", new ListValue([new StringValue("one"), new StringValue("two")])));
        Assert.Equal("one\ntwo", await TextAsync(new InMemoryTemplateSource(), Succeeded(null, body)));
    }

    [Fact]
    public async Task Anything_else_uses_the_raw_fallback()
    {
        var item = Obj(("body", new ListValue([new StringValue("one")])), ("extra", BoolValue.True));
        Assert.Equal("[\n  {\n    \"body\": [\n      \"one\"\n    ],\n    \"extra\": true\n  }\n]",
            await TextAsync(new InMemoryTemplateSource(), Succeeded(null, item)));
    }

    [Fact]
    public async Task Without_any_template_a_list_of_flat_objects_is_a_table()
    {
        var items = new Value[]
        {
            Obj(("name", new StringValue("web-1")), ("cpu", new IntValue(3)), ("up", BoolValue.True)),
            Obj(("name", new StringValue("db-1")), ("cpu", new IntValue(12)), ("note", NullValue.Instance)),
        };

        Assert.Equal("""
            name   cpu  up    note
            -----  ---  ----  ----
            web-1    3  true
            db-1    12
            """.ReplaceLineEndings("\n"), await TextAsync(new InMemoryTemplateSource(), Succeeded(null, items)));
    }

    [Fact]
    public async Task Nested_data_keeps_the_raw_fallback()
    {
        var nested = Obj(("name", new StringValue("web-1")), ("tags", new ListValue([new StringValue("a")])));
        var flat = Obj(("name", new StringValue("web-1")));

        Assert.Equal("name\n-----\nweb-1", await TextAsync(new InMemoryTemplateSource(), Succeeded(null, flat)));
        Assert.StartsWith("[\n  {", await TextAsync(new InMemoryTemplateSource(), Succeeded(null, flat, nested)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("text")]
    public async Task Cog_s_raw_and_text_are_found_when_the_bundle_has_no_template_of_that_name(string name)
    {
        var text = await TextAsync(new InMemoryTemplateSource(), Succeeded(name, Obj(("body", new ListValue([new StringValue("hi")])))));
        Assert.Equal(name == "raw" ? "[\n  {\n    \"body\": [\n      \"hi\"\n    ]\n  }\n]" : "hi", text);
    }

    [Fact]
    public async Task A_missing_named_template_gives_the_template_not_found_reply()
    {
        var composer = new TemplateReplyComposer(new InMemoryTemplateSource(), new TemplateEngine(null, TimeProvider.System));
        var reply = await composer.ComposeAsync(Succeeded("nope", Obj(("a", new IntValue(1)))), Context, TestContext.Current.CancellationToken);
        Assert.Equal(ReplyKind.Error, reply.Kind);
        var card = Assert.IsType<AttachmentBlock>(Assert.Single(reply.Blocks));
        Assert.Equal("Template Not Found", card.Title);
        Assert.Contains(card.Fields, static f => f is { Title: "Template", Value: "nope" });
    }

    [Fact]
    public async Task A_command_naming_its_own_missing_template_gets_the_fallbacks()
    {
        Assert.Equal("hi", await TextAsync(new InMemoryTemplateSource(), Succeeded("rule-list", Obj(("body", new ListValue([new StringValue("hi")]))))));
    }

    [Fact]
    public async Task An_unreadable_template_store_still_gives_a_reply()
    {
        Assert.Equal("hi", await TextAsync(new BrokenTemplateSource(), Succeeded(null, Obj(("body", new ListValue([new StringValue("hi")]))))));
    }

    [Fact]
    public async Task Replies_carry_the_kind_of_the_outcome()
    {
        var composer = new TemplateReplyComposer(new InMemoryTemplateSource(), new TemplateEngine(null, TimeProvider.System));
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ReplyKind.Output, (await composer.ComposeAsync(Succeeded(null, Obj(("a", NullValue.Instance))), Context, ct)).Kind);
        Assert.Equal(ReplyKind.Notice, (await composer.ComposeAsync(new PipelineOutcome("p", PipelineStatus.NoOutput, [], null, null, null, null, null), Context, ct)).Kind);
        Assert.Equal(ReplyKind.Abort, (await composer.ComposeAsync(new PipelineOutcome("p", PipelineStatus.Aborted, [], null, null, null, null, null), Context, ct)).Kind);
        Assert.Equal(ReplyKind.Error, (await composer.ComposeAsync(new PipelineOutcome("p", PipelineStatus.ExecutionFailed, [], null, "bad", null, "x", null), Context, ct)).Kind);
    }

    static readonly ObjectValue Bob = MentionData.Create("web", "bob", "bob");

    // The data ChatService sends (docs/templates.md "Common templates"), and Cog 1.0's texts.
    public static TheoryData<string, ObjectValue, string> ChatReplies => new()
    {
        {
            CommonTemplates.EditedCommand, Obj(("mention", Bob), ("command", new StringValue("echo *hi*"))),
            "@bob Executing edited command 'echo *hi*'"
        },
        {
            CommonTemplates.UnregisteredUser,
            Obj(("mention", Bob), ("provider", new StringValue("web")), ("display_name", new StringValue("Web")), ("handle", new StringValue("bob")),
                ("user_creators", new ListValue([MentionData.Create("web", "ada", "ada"), MentionData.Create("web", "grace", "grace")]))),
            "@bob: I'm terribly sorry, but either I don't have a Cog account for you, or your Web chat handle has not been registered. Currently, only registered users can interact with me.\n\n"
            + "You'll need to ask a Cog administrator to fix this situation and to register your Web handle.\n\n"
            + "The following users can help you right here in chat:\n@ada\n@grace"
        },
        {
            CommonTemplates.UnregisteredUser,
            Obj(("mention", Bob), ("provider", new StringValue("web")), ("display_name", new StringValue("Web")), ("handle", new StringValue("bob")),
                ("user_creators", new ListValue([]))),
            "@bob: I'm terribly sorry, but either I don't have a Cog account for you, or your Web chat handle has not been registered. Currently, only registered users can interact with me.\n\n"
            + "You'll need to ask a Cog administrator to fix this situation and to register your Web handle."
        },
        {
            CommonTemplates.SelfRegistrationSuccess,
            Obj(("mention", Bob), ("first_name", new StringValue("Bob")), ("username", new StringValue("bob_1")), ("provider", new StringValue("web")),
                ("display_name", new StringValue("Web"))),
            "@bob: Hello Bob! It's great to meet you! You're the proud owner of a shiny new Cog account named 'bob_1'."
        },
        {
            CommonTemplates.SelfRegistrationFailed,
            Obj(("mention", Bob), ("provider", new StringValue("web")), ("display_name", new StringValue("Web")), ("handle", new StringValue("bob"))),
            "@bob: Unfortunately I was unable to automatically create a Cog account for your Web chat handle. Only users with Cog accounts can interact with me.\n\n"
            + "You'll need to ask a Cog administrator to investigate the situation and set up your account."
        },
    };

    [Theory]
    [MemberData(nameof(ChatReplies))]
    public async Task Common_chat_templates_say_what_cog_says_with_the_chat_service_s_data(string template, ObjectValue data, string expected)
    {
        var composer = new TemplateReplyComposer(new InMemoryTemplateSource(), new TemplateEngine(null, TimeProvider.System));
        var reply = await composer.ComposeCommonAsync(template, data, TestContext.Current.CancellationToken);
        Assert.Equal(ReplyKind.Notice, reply.Kind);
        Assert.Equal(expected, PlainTextFormatter.Format(reply));
        Assert.Equal(new MentionInline("web", "bob", "bob"), Assert.IsType<ParagraphBlock>(reply.Blocks[0]).Inlines[0]);
    }

    [Fact]
    public async Task Every_common_template_renders_without_data()
    {
        var composer = new TemplateReplyComposer(new InMemoryTemplateSource(), new TemplateEngine(null, TimeProvider.System));
        foreach (var name in CommonTemplates.Names)
        {
            var reply = await composer.ComposeCommonAsync(name, new ObjectValue([]), TestContext.Current.CancellationToken);
            Assert.DoesNotContain("Irony", PlainTextFormatter.Format(reply), StringComparison.Ordinal);
        }
        Assert.Equal(12, CommonTemplates.Names.Count());
    }

    [Fact]
    public void Only_exact_body_items_are_text()
    {
        Assert.True(TemplateReplyComposer.IsText([Obj(("body", new StringValue("x")))]));
        Assert.False(TemplateReplyComposer.IsText([Obj(("body", new IntValue(1)))]));
        Assert.False(TemplateReplyComposer.IsText(ImmutableArray<Value>.Empty));
    }
}
