using System.Collections.Immutable;

namespace Cog.Runtime.Rendering;

/// <summary>A reply, provider-neutral: what a template produced (Markdown parsed into blocks), before a provider renders it
/// as Slack mrkdwn and Block Kit, HTML for the web console, or plain text for the API and cogctl. The successor of
/// Greenbar's directive list.</summary>
/// <param name="Kind">What the reply is about; providers may style errors differently (a red bar, an icon).</param>
/// <param name="Blocks">The content, in order.</param>
public sealed record ReplyDocument(ReplyKind Kind, ImmutableArray<ReplyBlock> Blocks)
{
    /// <summary>A reply of one paragraph of plain text.</summary>
    public static ReplyDocument FromText(string text, ReplyKind kind = ReplyKind.Output) =>
        new(kind, [new ParagraphBlock([new TextInline(text)])]);
}

/// <summary>What a reply is about.</summary>
public enum ReplyKind
{
    /// <summary>A command's output.</summary>
    Output,

    /// <summary>Something Cog says on its own: "Executing edited command", "no output was returned", registration.</summary>
    Notice,

    /// <summary>A command stopped the pipeline on purpose (the <c>abort</c> template).</summary>
    Abort,

    /// <summary>The pipeline failed (the <c>error</c> template).</summary>
    Error,
}

/// <summary>A block of a reply.</summary>
public abstract record ReplyBlock;

/// <summary>A paragraph of inline content; <see cref="LineBreakInline"/> breaks lines inside it.</summary>
public sealed record ParagraphBlock(ImmutableArray<ReplyInline> Inlines) : ReplyBlock;

/// <summary>A heading (level 1–6).</summary>
public sealed record HeadingBlock(int Level, ImmutableArray<ReplyInline> Inlines) : ReplyBlock;

/// <summary>Preformatted text shown in a fixed-width font, e.g. a fenced code block.</summary>
/// <param name="Language">The info string of the fence (<c>json</c>), if any.</param>
/// <param name="Text">The text, lines separated by <c>\n</c>, without a trailing newline.</param>
public sealed record CodeBlock(string? Language, string Text) : ReplyBlock;

/// <summary>A bulleted or numbered list; each item is a sequence of blocks.</summary>
/// <param name="Ordered">Numbered when <see langword="true"/>.</param>
/// <param name="Start">The first number of an ordered list.</param>
/// <param name="Items">The items.</param>
public sealed record ListBlock(bool Ordered, int Start, ImmutableArray<ImmutableArray<ReplyBlock>> Items) : ReplyBlock;

/// <summary>A table with a header row. Every row has as many cells as the header.</summary>
/// <param name="Header">The header cells.</param>
/// <param name="Rows">The body rows.</param>
/// <param name="Alignments">Per column.</param>
public sealed record TableBlock(
    ImmutableArray<ImmutableArray<ReplyInline>> Header,
    ImmutableArray<ImmutableArray<ImmutableArray<ReplyInline>>> Rows,
    ImmutableArray<ColumnAlignment> Alignments) : ReplyBlock;

/// <summary>How a table column is aligned.</summary>
public enum ColumnAlignment
{
    /// <summary>Not said (left).</summary>
    Default,

    /// <summary>Left.</summary>
    Left,

    /// <summary>Centred.</summary>
    Center,

    /// <summary>Right.</summary>
    Right,
}

/// <summary>A quotation.</summary>
public sealed record QuoteBlock(ImmutableArray<ReplyBlock> Blocks) : ReplyBlock;

/// <summary>A horizontal rule (a divider).</summary>
public sealed record RuleBlock : ReplyBlock;

/// <summary>A titled card with fields (Greenbar's <c>attachment</c>; Slack attachments, a card in HTML).</summary>
/// <param name="Title">The title, if any.</param>
/// <param name="TitleUrl">Where the title links, if anywhere.</param>
/// <param name="Color">A colour name (<c>red</c>, <c>green</c>, <c>blue</c>, <c>yellow</c>, <c>orange</c>, <c>purple</c>,
/// <c>grey</c>) or <c>#rrggbb</c>, if any.</param>
/// <param name="Author">The author line, if any.</param>
/// <param name="Pretext">Text shown above the card, if any.</param>
/// <param name="Footer">Text shown below the card, if any.</param>
/// <param name="Fields">Named values, in order.</param>
/// <param name="Body">The card's content.</param>
public sealed record AttachmentBlock(
    string? Title,
    string? TitleUrl,
    string? Color,
    string? Author,
    string? Pretext,
    string? Footer,
    ImmutableArray<AttachmentField> Fields,
    ImmutableArray<ReplyBlock> Body) : ReplyBlock;

/// <summary>A named value of an <see cref="AttachmentBlock"/>.</summary>
/// <param name="Title">The name.</param>
/// <param name="Value">The value, plain text.</param>
/// <param name="Short">Whether it may be shown side by side with another short field.</param>
public sealed record AttachmentField(string Title, string Value, bool Short = false);

/// <summary>Inline content.</summary>
public abstract record ReplyInline;

/// <summary>Literal text (never markup: renderers escape it).</summary>
public sealed record TextInline(string Text) : ReplyInline;

/// <summary>Bold.</summary>
public sealed record StrongInline(ImmutableArray<ReplyInline> Inlines) : ReplyInline;

/// <summary>Italics.</summary>
public sealed record EmphasisInline(ImmutableArray<ReplyInline> Inlines) : ReplyInline;

/// <summary>Struck through.</summary>
public sealed record StrikeInline(ImmutableArray<ReplyInline> Inlines) : ReplyInline;

/// <summary>Fixed-width text.</summary>
public sealed record CodeInline(string Text) : ReplyInline;

/// <summary>A link.</summary>
/// <param name="Url">The target; renderers refuse schemes other than http, https and mailto (shown as text).</param>
/// <param name="Inlines">The link text; empty means the URL itself.</param>
public sealed record LinkInline(string Url, ImmutableArray<ReplyInline> Inlines) : ReplyInline;

/// <summary>A hard line break inside a paragraph.</summary>
public sealed record LineBreakInline : ReplyInline;

/// <summary>A mention of a person on a chat provider. A reply is composed once and may go to several providers, so the
/// mention keeps who it is on which provider and each renderer decides: Slack writes <c>&lt;@U…&gt;</c> when
/// <paramref name="Provider"/> is <c>slack</c>, every other rendering (and Slack for another provider's person) shows
/// <c>@handle</c> as text.</summary>
/// <param name="Provider">The chat provider the person is on (<c>slack</c>, <c>web</c>).</param>
/// <param name="UserId">The person's id on that provider (Slack <c>U…</c>).</param>
/// <param name="Handle">The person's handle there, without <c>@</c>.</param>
public sealed record MentionInline(string Provider, string UserId, string Handle) : ReplyInline;
