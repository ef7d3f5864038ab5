using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cog.Runtime.Rendering;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Extensions.Tables;
using Markdig.Parsers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MdCode = Markdig.Syntax.Inlines.CodeInline;
using MdEmphasis = Markdig.Syntax.Inlines.EmphasisInline;
using MdHeading = Markdig.Syntax.HeadingBlock;
using MdLineBreak = Markdig.Syntax.Inlines.LineBreakInline;
using MdLink = Markdig.Syntax.Inlines.LinkInline;
using MdList = Markdig.Syntax.ListBlock;
using MdParagraph = Markdig.Syntax.ParagraphBlock;
using MdQuote = Markdig.Syntax.QuoteBlock;

namespace Cog.Runtime.Templates;

/// <summary>Reads a template's Markdown into a <see cref="ReplyDocument"/>: CommonMark with pipe tables and
/// <c>~~strike~~</c>; every newline inside a paragraph is a line break (chat style); there are no indented code blocks
/// (indentation from template tags must not turn text into code: use fences); HTML is text, never markup; Cog's
/// attachment fences (<see cref="AttachmentFence.Info"/>) become attachment blocks.</summary>
/// <remarks>Pure; thread-safe. Never throws for any text: Markdown nested deeper than <see cref="MaxNestingDepth"/> is
/// an error reply (<see cref="TemplateErrors.MarkdownTooDeep"/>).</remarks>
static class MarkdownReader
{
    /// <summary>How deeply Markdown may nest (block quotes, lists, emphasis, links), which bounds Markdig's parser and the
    /// conversion below; Markdig refuses deeper text.</summary>
    public const int MaxNestingDepth = 64;

    static readonly MarkdownPipeline Pipeline = BuildPipeline();

    static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
            .DisableHtml();
        builder.MaximumNestingDepth = MaxNestingDepth;
        builder.BlockParsers.TryRemove<IndentedCodeBlockParser>();
        return builder.Build();
    }

    /// <summary>The document for <paramref name="markdown"/>.</summary>
    public static ReplyDocument Read(string markdown, ReplyKind kind)
    {
        try
        {
            return new(kind, Blocks(Markdown.Parse(markdown, Pipeline)));
        }
        catch (ArgumentException)
        {
            // Markdig's refusal of text nested deeper than MaximumNestingDepth (its only ArgumentException for text).
            return ReplyDocument.FromText(TemplateErrors.MarkdownTooDeep(MaxNestingDepth), ReplyKind.Error);
        }
    }

    static ImmutableArray<ReplyBlock> Blocks(ContainerBlock container)
    {
        var blocks = ImmutableArray.CreateBuilder<ReplyBlock>();
        foreach (var block in container)
        {
            if (Block(block) is { } converted)
                blocks.Add(converted);
        }
        return blocks.ToImmutable();
    }

    static ReplyBlock? Block(Block block) => block switch
    {
        MdHeading heading => new Rendering.HeadingBlock(heading.Level, Inlines(heading.Inline)),
        MdParagraph paragraph => Inlines(paragraph.Inline) is { Length: > 0 } inlines ? new Rendering.ParagraphBlock(inlines) : null,
        FencedCodeBlock fenced when fenced.Info == AttachmentFence.Info => Attachment(fenced),
        Markdig.Syntax.CodeBlock code => new Rendering.CodeBlock(code is FencedCodeBlock { Info.Length: > 0 } f ? f.Info : null, Lines(code)),
        MdList list => List(list),
        Table table => Table(table),
        MdQuote quote => new Rendering.QuoteBlock(Blocks(quote)),
        ThematicBreakBlock => new RuleBlock(),
        HtmlBlock html => new Rendering.ParagraphBlock([new TextInline(Lines(html))]),
        LeafBlock { Inline: not null } leaf => new Rendering.ParagraphBlock(Inlines(leaf.Inline)),
        ContainerBlock other => Blocks(other) is { Length: > 0 } inner ? new Rendering.QuoteBlock(inner) : null,
        _ => null,
    };

    static Rendering.ListBlock List(MdList list)
    {
        var items = ImmutableArray.CreateBuilder<ImmutableArray<ReplyBlock>>();
        foreach (var item in list)
        {
            if (item is ListItemBlock listItem)
                items.Add(Blocks(listItem));
        }
        var start = list.IsOrdered && int.TryParse(list.OrderedStart, out var number) ? number : 1;
        return new Rendering.ListBlock(list.IsOrdered, start, items.ToImmutable());
    }

    static TableBlock Table(Table table)
    {
        ImmutableArray<ImmutableArray<ReplyInline>>? header = null;
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<ImmutableArray<ReplyInline>>>();
        var width = 0;
        foreach (var child in table)
        {
            if (child is not TableRow row)
                continue;
            var cells = ImmutableArray.CreateBuilder<ImmutableArray<ReplyInline>>();
            foreach (var cell in row)
                cells.Add(cell is TableCell tableCell ? CellInlines(tableCell) : []);
            if (header is null)
            {
                header = cells.ToImmutable();
                width = header.Value.Length;
            }
            else
            {
                rows.Add(Fit(cells, width));
            }
        }
        var alignments = ImmutableArray.CreateBuilder<ColumnAlignment>(width);
        for (var i = 0; i < width; i++)
        {
            alignments.Add(i < table.ColumnDefinitions.Count ? table.ColumnDefinitions[i].Alignment switch
            {
                TableColumnAlign.Left => ColumnAlignment.Left,
                TableColumnAlign.Center => ColumnAlignment.Center,
                TableColumnAlign.Right => ColumnAlignment.Right,
                _ => ColumnAlignment.Default,
            } : ColumnAlignment.Default);
        }
        return new TableBlock(header ?? [], rows.ToImmutable(), alignments.MoveToImmutable());
    }

    static ImmutableArray<ImmutableArray<ReplyInline>> Fit(ImmutableArray<ImmutableArray<ReplyInline>>.Builder cells, int width)
    {
        while (cells.Count < width)
            cells.Add([]);
        while (cells.Count > width)
            cells.RemoveAt(cells.Count - 1);
        return cells.ToImmutable();
    }

    static ImmutableArray<ReplyInline> CellInlines(TableCell cell)
    {
        var inlines = ImmutableArray.CreateBuilder<ReplyInline>();
        foreach (var block in cell)
        {
            if (block is LeafBlock { Inline: not null } leaf)
            {
                if (inlines.Count > 0)
                    inlines.Add(new TextInline(" "));
                inlines.AddRange(Inlines(leaf.Inline));
            }
        }
        return inlines.ToImmutable();
    }

    static ReplyBlock Attachment(FencedCodeBlock fenced)
    {
        var body = Lines(fenced);
        try
        {
            using var header = JsonDocument.Parse(string.IsNullOrWhiteSpace(fenced.Arguments) ? "{}" : fenced.Arguments);
            var root = header.RootElement;
            var fields = ImmutableArray.CreateBuilder<AttachmentField>();
            if (root.TryGetProperty("fields", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var field in list.EnumerateArray())
                {
                    fields.Add(new AttachmentField(
                        Text(field, "title") ?? "", Text(field, "value") ?? "",
                        field.TryGetProperty("short", out var isShort) && isShort.ValueKind == JsonValueKind.True));
                }
            }
            var content = body.Length == 0 ? [] : Blocks(Markdown.Parse(body, Pipeline));
            return new AttachmentBlock(Text(root, "title"), Text(root, "title_url"), Text(root, "color"), Text(root, "author"),
                Text(root, "pretext"), Text(root, "footer"), fields.ToImmutable(), content);
        }
        catch (JsonException)
        {
            // Someone wrote a cog-attachment fence by hand with a bad header: show it as the code it looks like.
            return new Rendering.CodeBlock(fenced.Info, body);
        }
    }

    static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    static string Lines(LeafBlock block)
    {
        var text = new StringBuilder();
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
                text.Append('\n');
            text.Append(lines.Lines[i].Slice.AsSpan());
        }
        return text.ToString().TrimEnd('\n');
    }

    static ImmutableArray<ReplyInline> Inlines(ContainerInline? container)
    {
        var inlines = ImmutableArray.CreateBuilder<ReplyInline>();
        if (container is not null)
            AddInlines(container, inlines);
        // A paragraph's trailing line break (from a trailing "\n" or <br>) shows nothing: drop it.
        while (inlines.Count > 0 && inlines[^1] is Rendering.LineBreakInline)
            inlines.RemoveAt(inlines.Count - 1);
        return Merge(inlines);
    }

    static void AddInlines(ContainerInline container, ImmutableArray<ReplyInline>.Builder inlines)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    inlines.Add(new TextInline(literal.Content.ToString()));
                    break;
                case HtmlEntityInline entity:
                    inlines.Add(new TextInline(entity.Transcoded.ToString()));
                    break;
                case MdCode code:
                    inlines.Add(new Rendering.CodeInline(code.Content));
                    break;
                case MdLineBreak:
                    inlines.Add(new Rendering.LineBreakInline());
                    break;
                case MdEmphasis emphasis:
                    var children = Inlines(emphasis);
                    inlines.Add(emphasis.DelimiterChar == '~' ? new StrikeInline(children)
                        : emphasis.DelimiterCount >= 2 ? new StrongInline(children)
                        : new Rendering.EmphasisInline(children));
                    break;
                case MdLink link:
                    inlines.Add(new Rendering.LinkInline(link.Url ?? "", Inlines(link)));
                    break;
                case AutolinkInline autolink when MarkdownText.ReadMention(autolink.Url) is { } mention:
                    inlines.Add(mention);
                    break;
                case AutolinkInline autolink:
                    inlines.Add(new Rendering.LinkInline(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url, [new TextInline(autolink.Url)]));
                    break;
                case HtmlInline html:
                    inlines.Add(new TextInline(html.Tag));
                    break;
                case ContainerInline other:
                    AddInlines(other, inlines);
                    break;
                default:
                    inlines.Add(new TextInline(inline.ToString() ?? ""));
                    break;
            }
        }
    }

    /// <summary>Adjacent text runs as one (Markdig splits text at every escape and delimiter).</summary>
    static ImmutableArray<ReplyInline> Merge(ImmutableArray<ReplyInline>.Builder inlines)
    {
        var merged = ImmutableArray.CreateBuilder<ReplyInline>(inlines.Count);
        StringBuilder? text = null;
        foreach (var inline in inlines)
        {
            if (inline is TextInline run)
            {
                (text ??= new StringBuilder()).Append(run.Text);
                continue;
            }
            if (text is { Length: > 0 })
                merged.Add(new TextInline(text.ToString()));
            text?.Clear();
            merged.Add(inline);
        }
        if (text is { Length: > 0 })
            merged.Add(new TextInline(text.ToString()));
        return merged.ToImmutable();
    }
}
