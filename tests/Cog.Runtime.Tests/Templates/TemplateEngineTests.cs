using Cog.Language.Values;
using Cog.Runtime.Rendering;
using Cog.Runtime.Templates;

namespace Cog.Runtime.Tests.Templates;

public class TemplateEngineTests
{
    static async Task<RenderResult> RenderAsync(string template, Value results, TemplateLimits? limits = null, TemplateDialect dialect = TemplateDialect.Liquid)
    {
        var engine = new TemplateEngine(limits, TimeProvider.System);
        return await engine.RenderAsync(engine.Compile(template, dialect), [new("results", results)], TestContext.Current.CancellationToken);
    }

    static async Task<string> PlainAsync(string template, Value results)
    {
        var rendered = await RenderAsync(template, results);
        Assert.True(rendered.IsSuccess, rendered.Error?.ToString());
        return PlainTextFormatter.Format(MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output));
    }

    static ListValue Names(params string[] names) =>
        new([.. names.Select(static n => (Value)new ObjectValue([new("name", new StringValue(n))]))]);

    [Theory]
    [InlineData("**bold**")]
    [InlineData("# heading")]
    [InlineData("- item")]
    [InlineData("1. item")]
    [InlineData("[link](http://evil)")]
    [InlineData("| a | b |")]
    [InlineData("```")]
    [InlineData("    code")]
    [InlineData("<b>html</b>")]
    [InlineData("&amp;")]
    [InlineData("line one\n===")]
    [InlineData("> quote")]
    [InlineData("<cog-mention:slack/U1/bob>")]
    [InlineData("<https://example.com>")]
    public async Task Output_values_cannot_add_markdown_structure(string value)
    {
        var rendered = await RenderAsync("{{ results[0].name }}", Names(value));
        var document = MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output);
        var paragraph = Assert.IsType<ParagraphBlock>(Assert.Single(document.Blocks));
        Assert.Equal(value, ReplyText.Plain(paragraph.Inlines));
        Assert.DoesNotContain(paragraph.Inlines, static i => i is not TextInline and not LineBreakInline);
    }

    [Fact]
    public async Task Raw_output_is_markdown()
    {
        var rendered = await RenderAsync("{{ results[0].name | raw }}", Names("**bold**"));
        var paragraph = Assert.IsType<ParagraphBlock>(Assert.Single(MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output).Blocks));
        Assert.IsType<StrongInline>(Assert.Single(paragraph.Inlines));
    }

    [Fact]
    public async Task Html_in_a_template_is_text()
    {
        Assert.Equal("<img src=x onerror=alert(1)>", await PlainAsync("<img src=x onerror=alert(1)>", Names()));
    }

    [Fact]
    public async Task Table_cells_are_escaped_and_kept_on_one_line()
    {
        var rendered = await RenderAsync("{{ results | table }}", Names("a|b", "two\nlines"));
        var table = Assert.IsType<TableBlock>(Assert.Single(MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output).Blocks));
        Assert.Equal(["a|b", "two lines"], table.Rows.Select(static r => ReplyText.Plain(r[0])));
    }

    [Fact]
    public async Task Code_fences_are_longer_than_any_backticks_in_the_text()
    {
        var rendered = await RenderAsync("{{ results[0].name | code }}", Names("a ```` b"));
        var code = Assert.IsType<CodeBlock>(Assert.Single(MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output).Blocks));
        Assert.Equal("a ```` b", code.Text);
    }

    [Theory]
    [InlineData("```\n{{ results[0].name }}\n```")]
    [InlineData("~~~\n{{ results[0].name }}\n~~~")]
    [InlineData("`{{ results[0].name }}`")]
    public async Task Values_inside_code_are_verbatim_and_cannot_close_it(string template)
    {
        var value = "a_b *c* \\d\n```\n~~~ `e`";
        var document = MarkdownReader.Read((await RenderAsync(template, Names(value))).Markdown!, ReplyKind.Output);

        var only = Assert.Single(document.Blocks);
        var text = only switch
        {
            CodeBlock code => code.Text,
            ParagraphBlock { Inlines: [CodeInline inline] } => inline.Text,
            _ => throw new Xunit.Sdk.XunitException($"one code block or span expected, got {only}"),
        };
        // An inline span shows line breaks as spaces (CommonMark); the text is otherwise the value, unescaped.
        Assert.Equal(only is CodeBlock ? value : value.Replace('\n', ' ').Trim(), text);
    }

    [Fact]
    public async Task Values_in_an_attachment_are_text_and_its_code_is_verbatim()
    {
        var document = MarkdownReader.Read((await RenderAsync(
            "{% attachment title: \"t\" %}\n*{{ results[0].name }}*\n```\n{{ results[0].name }}\n```\n{% endattachment %}",
            Names("**x_y**"))).Markdown!, ReplyKind.Output);

        var card = Assert.IsType<AttachmentBlock>(Assert.Single(document.Blocks));
        Assert.Collection(card.Body,
            b => Assert.Equal("**x_y**", ReplyText.Plain(Assert.IsType<EmphasisInline>(Assert.Single(Assert.IsType<ParagraphBlock>(b).Inlines)).Inlines)),
            b => Assert.Equal("**x_y**", Assert.IsType<CodeBlock>(b).Text));
    }

    [Fact]
    public async Task A_code_span_around_a_value_with_a_blank_line_is_one_code_block()
    {
        var document = MarkdownReader.Read((await RenderAsync("Log: `{{ results[0].name }}`", Names("a\n\n*b*"))).Markdown!, ReplyKind.Output);

        Assert.Collection(document.Blocks,
            b => Assert.Equal("Log:", ReplyText.Plain(Assert.IsType<ParagraphBlock>(b).Inlines)),
            b => Assert.Equal("a\n\n*b*", Assert.IsType<CodeBlock>(b).Text));
    }

    [Fact]
    public async Task An_unclosed_code_block_in_an_attachment_ends_with_the_attachment()
    {
        var document = MarkdownReader.Read((await RenderAsync(
            "{% attachment title: \"t\" %}\n```\n{{ results[0].name }}\n{% endattachment %}\nafter *{{ results[0].name }}*",
            Names("x_y"))).Markdown!, ReplyKind.Output);

        Assert.Collection(document.Blocks,
            b => Assert.Equal("x_y", Assert.IsType<CodeBlock>(Assert.Single(Assert.IsType<AttachmentBlock>(b).Body)).Text),
            b => Assert.Equal("after x_y", ReplyText.Plain(Assert.IsType<ParagraphBlock>(b).Inlines)));
    }

    [Fact]
    public async Task Data_cannot_forge_the_marks_of_values()
    {
        var markdown = (await RenderAsync("`{{ results[0].name }}`", Names("\uE001`x`\uE000"))).Markdown!;

        var code = Assert.IsType<CodeInline>(Assert.Single(Assert.IsType<ParagraphBlock>(Assert.Single(MarkdownReader.Read(markdown, ReplyKind.Output).Blocks)).Inlines));
        Assert.Equal("`x`", code.Text);
    }

    [Fact]
    public async Task Captured_output_written_again_is_text_escaped_once()
    {
        Assert.Equal("see *a*_b", await PlainAsync("{% capture x %}see {{ results[0].name }}{% endcapture %}{{ x }}", Names("*a*_b")));
    }

    [Fact]
    public async Task A_backtick_the_template_does_not_close_stays_text_and_values_after_it_are_escaped()
    {
        Assert.Equal("it`s *a*", await PlainAsync("it`s {{ results[0].name }}", Names("*a*")));
    }

    [Fact]
    public async Task Greenbar_values_on_the_fence_line_start_the_block_without_blank_lines()
    {
        var results = new ListValue([new ObjectValue([new("body", new ListValue([new StringValue("PING 127.0.0.1 (127.0.0.1)"), new StringValue("64 bytes")]))])]);
        var rendered = await RenderAsync("~each var=$results~\n```~each var=$item.body as=l~\n~$l~\n~end~```\n~end~\n", results, dialect: TemplateDialect.Greenbar);

        var code = Assert.IsType<CodeBlock>(Assert.Single(MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output).Blocks));
        Assert.Equal("PING 127.0.0.1 (127.0.0.1)\n64 bytes", code.Text);
    }

    [Fact]
    public async Task The_output_limit_counts_the_escapes_of_values()
    {
        var rendered = await RenderAsync("{{ results[0].name }}", Names(new string('*', 60)), new TemplateLimits { MaxOutputLength = 100 });

        Assert.Equal(TemplateErrors.OutputTooLong(100), rendered.Error!.Message);
    }

    [Fact]
    public async Task Tag_lines_leave_no_blank_lines()
    {
        Assert.Equal("a\nb", await PlainAsync("{% for r in results %}\n  {% if r.name %}\n{{ r.name }}\n  {% endif %}\n{% endfor %}\n", Names("a", "b")));
    }

    [Fact]
    public async Task A_loop_past_the_step_limit_fails_with_a_clear_error()
    {
        var rendered = await RenderAsync("{% for i in (1..100000) %}x{% endfor %}", Names(), new TemplateLimits { MaxSteps = 1000 });
        Assert.Equal(TemplateErrors.TooMuchWork(1000, 64), rendered.Error!.Message);
    }

    [Fact]
    public async Task Blocks_nested_deeper_than_the_limit_are_refused_at_the_block_that_exceeds_it()
    {
        static string Ifs(int depth) => string.Concat(Enumerable.Repeat("{% if true %}", depth)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", depth));

        // 4,000 nested blocks used to exhaust the stack in Fluid's parser and kill the server.
        var deep = await RenderAsync(Ifs(4_000), Names());
        Assert.Equal(new TemplateError(TemplateErrors.TooDeep(64), 1, (64 * 13) + 1), deep.Error);
        Assert.Equal("x", (await RenderAsync(Ifs(64), Names())).Markdown);
        Assert.Equal(TemplateErrors.TooDeep(8), (await RenderAsync(Ifs(9), Names(), new TemplateLimits { MaxRecursion = 8 })).Error!.Message);
    }

    [Theory]
    [InlineData("{{ results[0]", "[0]", " }}")]
    [InlineData("{% if results", "[0]", " %}x{% endif %}")]
    [InlineData("{% liquid\nif true\n", "if true\n", "echo 'x'\nendif\n%}")]
    public async Task Brackets_and_liquid_tag_blocks_count_towards_the_depth(string start, string repeated, string end)
    {
        var source = repeated == "[0]"
            ? start + string.Concat(Enumerable.Repeat("[results", 5_000)) + string.Concat(Enumerable.Repeat("[0]]", 5_000)) + end
            : start + string.Concat(Enumerable.Repeat(repeated, 5_000)) + end;

        var rendered = await RenderAsync(source, Names("a"));

        Assert.Equal(TemplateErrors.TooDeep(64), rendered.Error!.Message);
    }

    [Fact]
    public void Markdown_nested_deeper_than_the_limit_is_an_error_reply_not_an_exception()
    {
        var document = MarkdownReader.Read(new string('>', 50_000) + " x", ReplyKind.Output);

        Assert.Equal(ReplyKind.Error, document.Kind);
        Assert.Equal(TemplateErrors.MarkdownTooDeep(MarkdownReader.MaxNestingDepth), PlainTextFormatter.Format(document));
        Assert.Equal(ReplyKind.Output, MarkdownReader.Read(new string('>', MarkdownReader.MaxNestingDepth - 1) + " x", ReplyKind.Output).Kind);
    }

    [Fact]
    public async Task Output_past_the_size_limit_fails_with_a_clear_error()
    {
        var rendered = await RenderAsync("{% for i in (1..500) %}0123456789{% endfor %}", Names(), new TemplateLimits { MaxOutputLength = 1000 });
        Assert.Equal(TemplateErrors.OutputTooLong(1000), rendered.Error!.Message);
    }

    [Fact]
    public async Task A_long_source_is_refused()
    {
        var rendered = await RenderAsync(new string('x', 101), Names(), new TemplateLimits { MaxSourceLength = 100 });
        Assert.Equal(TemplateErrors.SourceTooLong(100), rendered.Error!.Message);
    }

    [Fact]
    public async Task Syntax_errors_carry_the_position_in_the_template_as_written()
    {
        var rendered = await RenderAsync("line one\n{% for r in results %}\n{{ r.name }\n{% endfor %}", Names("a"));
        Assert.Equal(3, rendered.Error!.Line);
        Assert.Contains("'}}' was expected", rendered.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% include 'x' %}")]
    [InlineData("{% render 'x' %}")]
    public async Task Templates_cannot_read_files(string template)
    {
        Assert.False((await RenderAsync(template, Names())).IsSuccess);
    }

    [Fact]
    public async Task Unknown_filters_are_reported()
    {
        Assert.Equal(TemplateErrors.UnknownFilter("'nope'"), (await RenderAsync("{{ results | nope }}", Names())).Error!.Message);
    }

    [Fact]
    public async Task A_field_outside_an_attachment_is_reported()
    {
        Assert.Equal(TemplateErrors.FieldOutsideAttachment, (await RenderAsync("{% field \"a\", 1 %}", Names())).Error!.Message);
    }

    [Theory]
    [InlineData("{{ results | count }}", "2")]
    [InlineData("{{ results | join: \", \", \"name\" }}", "a, b")]
    [InlineData("{{ results[0] | count }}", "1")]
    [InlineData("{{ 5 | count }}", "N/A")]
    [InlineData("{{ results | list: \"name\" }}", "• a\n• b")]
    [InlineData("{{ results | list: \"name\", ordered: true }}", "1. a\n2. b")]
    [InlineData("{{ results[0].name | inline_code }}", "a")]
    public async Task Helpers_give_what_docs_templates_md_says(string template, string expected)
    {
        Assert.Equal(expected, await PlainAsync(template, Names("a", "b")));
    }

    static async Task<ReplyDocument> MentionAsync(string template, Value person)
    {
        var engine = new TemplateEngine(null, TimeProvider.System);
        var rendered = await engine.RenderAsync(engine.Compile(template, TemplateDialect.Liquid), [new("person", person)], TestContext.Current.CancellationToken);
        Assert.True(rendered.IsSuccess, rendered.Error?.ToString());
        return MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output);
    }

    [Theory]
    [InlineData("slack", "U024BE7LH", "alice")]
    [InlineData("web", "alice", "alice")]
    [InlineData("x", "id with spaces/and>angles", "a b/c>d**e**_f_ <@U1>")]
    [InlineData("", "", "@bob")]
    public async Task The_mention_filter_makes_a_mention_whatever_the_person_s_names_hold(string provider, string id, string handle)
    {
        var document = await MentionAsync("Hi {{ person | mention }}!", MentionData.Create(provider, id, handle));

        var paragraph = Assert.IsType<ParagraphBlock>(Assert.Single(document.Blocks));
        Assert.Equal([new TextInline("Hi "), new MentionInline(provider, id, handle.TrimStart('@')), new TextInline("!")], paragraph.Inlines);
    }

    [Fact]
    public async Task A_mention_works_in_lists_tables_and_cards()
    {
        var document = await MentionAsync(
            "- {{ person | mention }}\n\n| who |\n| --- |\n| {{ person | mention }} |\n\n{% attachment title: \"t\" %}\n{{ person | mention }}\n{% endattachment %}",
            MentionData.Create("slack", "U1", "bob"));

        var mention = new MentionInline("slack", "U1", "bob");
        var list = Assert.IsType<ListBlock>(document.Blocks[0]);
        Assert.Equal(mention, Assert.IsType<ParagraphBlock>(Assert.Single(Assert.Single(list.Items))).Inlines.Single());
        Assert.Equal(mention, Assert.IsType<TableBlock>(document.Blocks[1]).Rows[0][0].Single());
        var card = Assert.IsType<AttachmentBlock>(document.Blocks[2]);
        Assert.Equal(mention, Assert.IsType<ParagraphBlock>(Assert.Single(card.Body)).Inlines.Single());
    }

    [Fact]
    public async Task A_text_given_to_mention_is_a_handle_and_nil_or_empty_text_is_nothing()
    {
        var document = await MentionAsync("{{ person | mention }}", new StringValue("@carol"));
        Assert.Equal(new MentionInline("", "", "carol"), Assert.IsType<ParagraphBlock>(Assert.Single(document.Blocks)).Inlines.Single());
        Assert.Empty((await MentionAsync("{{ nobody | mention }}{{ person | mention }}", new StringValue(""))).Blocks);
    }

    [Theory]
    [InlineData("{{ 5 | mention }}")]
    [InlineData("{{ person.list | mention }}")]
    public async Task Mentioning_something_that_is_not_a_person_is_a_template_error(string template)
    {
        var engine = new TemplateEngine(null, TimeProvider.System);
        var person = new ObjectValue([new("list", new ListValue([new StringValue("a")]))]);
        var rendered = await engine.RenderAsync(engine.Compile(template, TemplateDialect.Liquid), [new("person", person)], TestContext.Current.CancellationToken);
        Assert.Equal("The 'mention' filter needs a person: an object with provider, id and handle.", rendered.Error?.Message);
    }

    [Fact]
    public async Task Compiled_templates_are_cached_per_key_until_their_source_changes()
    {
        var engine = new TemplateEngine(null, TimeProvider.System);
        var key = new TemplateKey("b", "1", "t");
        var first = engine.GetOrCompile(key, "a", TemplateDialect.Liquid);
        Assert.Same(first, engine.GetOrCompile(key, "a", TemplateDialect.Liquid));
        Assert.NotSame(first, engine.GetOrCompile(key, "b", TemplateDialect.Liquid));
        await Task.CompletedTask;
    }
}
