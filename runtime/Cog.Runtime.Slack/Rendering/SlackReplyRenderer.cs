using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Cog.Runtime.Rendering;
using Cog.Runtime.Slack.Text;

namespace Cog.Runtime.Slack.Rendering;

/// <summary>Renders a <see cref="ReplyDocument"/> for Slack: mrkdwn for text —
/// <c>*bold*</c>, <c>_italics_</c>, <c>~strike~</c>, <c>`code`</c>, fenced blocks, <c>•</c> and <c>1.</c> lists,
/// <c>&gt;</c> quotes, <c>&lt;url|text&gt;</c> links, <c>&lt;@U…&gt;</c> mentions of Slack people (<c>@handle</c> for
/// people of other providers), with exactly <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped — and
/// Block Kit when the reply holds a table or a card: a <c>table</c> block per table (an ASCII grid in a code block when
/// it is too big for one), a card's fields as <c>section</c> fields, headings as <c>header</c> blocks. Long replies are
/// split into several messages on line boundaries with code fences kept balanced, within Slack's limits (50 blocks and
/// about 12,000 characters of blocks per message, 3,000 per section).</summary>
/// <remarks>Pure and thread-safe.</remarks>
sealed class SlackReplyRenderer(int maxMessageLength = 3_500, int maxMessages = 10)
{
    /// <summary>Slack's most blocks per message.</summary>
    public const int MaxBlocks = 50;

    /// <summary>The characters of block text per message we allow (Slack fails around 13,000).</summary>
    public const int MaxBlockCharacters = 12_000;

    /// <summary>The longest section text we send (Slack's limit is 3,000).</summary>
    public const int MaxSectionLength = 2_900;

    /// <summary>Slack's most fields per section.</summary>
    public const int MaxFields = 10;

    /// <summary>Slack's longest field text.</summary>
    public const int MaxFieldLength = 2_000;

    /// <summary>Slack's longest header text.</summary>
    public const int MaxHeaderLength = 150;

    /// <summary>Slack's most rows (header included) and cells per row of a table block.</summary>
    public const int MaxTableRows = 100, MaxTableColumns = 20;

    const string RuleText = "──────────";
    const int NoteRoom = 64;

    /// <summary>The messages to post for <paramref name="document"/>, in order; empty when it has no content.</summary>
    public IReadOnlyList<SlackMessagePart> Render(ReplyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var parts = NeedsBlocks(document.Blocks) ? BlockParts(document.Blocks) : TextParts(document.Blocks);
        if (parts.Count <= maxMessages)
            return parts;
        var kept = parts.GetRange(0, maxMessages);
        var last = kept[^1];
        var note = SlackErrors.Truncated(parts.Count - maxMessages);
        var blocks = last.Blocks?.DeepClone().AsArray();
        if (blocks is not null)
        {
            if (blocks.Count >= MaxBlocks)
                blocks.RemoveAt(blocks.Count - 1);
            blocks.Add(Context(SlackText.Escape(note)));
        }
        kept[^1] = new SlackMessagePart(last.Text + "\n" + SlackText.Escape(note), blocks);
        return kept;
    }

    /// <summary>The whole reply as mrkdwn (what a text-only client shows).</summary>
    public static string ToMrkdwn(ImmutableArray<ReplyBlock> blocks)
    {
        var text = new StringBuilder();
        AppendBlocks(text, blocks, "\n\n");
        return text.ToString();
    }

    static bool NeedsBlocks(ImmutableArray<ReplyBlock> blocks)
    {
        foreach (var block in blocks)
        {
            if (block is TableBlock or AttachmentBlock)
                return true;
        }
        return false;
    }

    List<SlackMessagePart> TextParts(ImmutableArray<ReplyBlock> blocks)
    {
        var parts = new List<SlackMessagePart>();
        // Room is kept for the note that ends a cut reply.
        foreach (var piece in MrkdwnSplitter.Split(ToMrkdwn(blocks), maxMessageLength - NoteRoom))
            parts.Add(new SlackMessagePart(piece, null));
        return parts;
    }

    static List<SlackMessagePart> BlockParts(ImmutableArray<ReplyBlock> blocks)
    {
        var builder = new BlockKitBuilder();
        builder.AddAll(blocks);
        return builder.Finish();
    }

    // ---- mrkdwn ----------------------------------------------------------------------------------------------------

    static void AppendBlocks(StringBuilder text, ImmutableArray<ReplyBlock> blocks, string separator)
    {
        for (var i = 0; i < blocks.Length; i++)
        {
            var before = text.Length;
            if (i > 0)
                text.Append(separator);
            var content = text.Length;
            AppendBlock(text, blocks[i]);
            if (text.Length == content)
                text.Length = before;
        }
    }

    static void AppendBlock(StringBuilder text, ReplyBlock block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                AppendInlines(text, paragraph.Inlines);
                break;
            case HeadingBlock heading:
                AppendStyled(text, '*', heading.Inlines);
                break;
            case CodeBlock code:
                AppendCodeBlock(text, code.Text);
                break;
            case ListBlock list:
                AppendList(text, list);
                break;
            case QuoteBlock quote:
                AppendQuote(text, quote);
                break;
            case RuleBlock:
                text.Append(RuleText);
                break;
            case TableBlock table:
                AppendCodeBlock(text, AsciiTable.Render(table));
                break;
            case AttachmentBlock card:
                AppendCard(text, card);
                break;
        }
    }

    static void AppendInlines(StringBuilder text, ImmutableArray<ReplyInline> inlines)
    {
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case TextInline t:
                    SlackText.AppendEscaped(text, t.Text);
                    break;
                case StrongInline s:
                    AppendStyled(text, '*', s.Inlines);
                    break;
                case EmphasisInline e:
                    AppendStyled(text, '_', e.Inlines);
                    break;
                case StrikeInline s:
                    AppendStyled(text, '~', s.Inlines);
                    break;
                case CodeInline c when c.Text.Length > 0:
                    // Slack has no escape for a backtick inside inline code.
                    text.Append('`');
                    SlackText.AppendEscaped(text, c.Text.Replace('`', '\''));
                    text.Append('`');
                    break;
                case LinkInline link:
                    AppendLink(text, link);
                    break;
                case LineBreakInline:
                    text.Append('\n');
                    break;
                case MentionInline mention:
                    AppendMention(text, mention);
                    break;
            }
        }
    }

    static void AppendStyled(StringBuilder text, char marker, ImmutableArray<ReplyInline> inlines)
    {
        var inner = new StringBuilder();
        AppendInlines(inner, inlines);
        if (inner.Length == 0)
            return;
        text.Append(marker).Append(inner).Append(marker);
    }

    static void AppendLink(StringBuilder text, LinkInline link)
    {
        var label = new StringBuilder();
        AppendInlines(label, link.Inlines);
        if (!IsSafeUrl(link.Url))
        {
            SlackText.AppendEscaped(text, SlackErrors.UnsafeLink(PlainText(link.Inlines), link.Url));
            return;
        }
        text.Append('<');
        foreach (var c in link.Url)
        {
            switch (c)
            {
                case '&': text.Append("&amp;"); break;
                case '<': text.Append("%3C"); break;
                case '>': text.Append("%3E"); break;
                case '|': text.Append("%7C"); break;
                default: text.Append(c); break;
            }
        }
        if (label.Length > 0)
            text.Append('|').Append(label);
        text.Append('>');
    }

    /// <summary><c>&lt;@U…&gt;</c> for a Slack person with a well-formed id (so data cannot smuggle <c>&lt;!channel&gt;</c>
    /// in through an id), else <c>@handle</c> as text.</summary>
    static void AppendMention(StringBuilder text, MentionInline mention)
    {
        if (IsSlackMention(mention))
        {
            text.Append("<@").Append(mention.UserId).Append('>');
            return;
        }
        text.Append('@');
        SlackText.AppendEscaped(text, mention.Handle);
    }

    static bool IsSlackMention(MentionInline mention)
    {
        if (!string.Equals(mention.Provider, SlackChatProvider.ProviderName, StringComparison.OrdinalIgnoreCase) || mention.UserId.Length is 0 or > 32)
            return false;
        foreach (var c in mention.UserId)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    static bool IsSafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto";

    static void AppendCodeBlock(StringBuilder text, string code)
    {
        text.Append("```\n");
        // A literal fence inside the output would end the block early: a zero-width space splits it.
        SlackText.AppendEscaped(text, code.Replace("```", "``\u200B`", StringComparison.Ordinal));
        text.Append("\n```");
    }

    static void AppendList(StringBuilder text, ListBlock list)
    {
        for (var i = 0; i < list.Items.Length; i++)
        {
            if (i > 0)
                text.Append('\n');
            var marker = list.Ordered ? $"{list.Start + i}. " : "• ";
            var item = new StringBuilder();
            AppendBlocks(item, list.Items[i], "\n");
            text.Append(marker).Append(item.ToString().Replace("\n", "\n   ", StringComparison.Ordinal));
        }
    }

    static void AppendQuote(StringBuilder text, QuoteBlock quote)
    {
        var inner = new StringBuilder();
        AppendBlocks(inner, quote.Blocks, "\n");
        var lines = inner.ToString().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                text.Append('\n');
            text.Append('>');
            if (lines[i].Length > 0)
                text.Append(' ').Append(lines[i]);
        }
    }

    static void AppendCard(StringBuilder text, AttachmentBlock card)
    {
        var lines = new List<string>();
        if (card.Pretext is { Length: > 0 } pretext)
            lines.Add(SlackText.Escape(pretext));
        if (CardTitle(card) is { } title)
            lines.Add(title);
        if (card.Author is { Length: > 0 } author)
            lines.Add("_" + SlackText.Escape(author) + "_");
        foreach (var field in card.Fields)
            lines.Add($"*{SlackText.Escape(field.Title)}:* {SlackText.Escape(field.Value)}");
        var body = new StringBuilder();
        AppendBlocks(body, card.Body, "\n\n");
        if (body.Length > 0)
            lines.Add(body.ToString());
        if (card.Footer is { Length: > 0 } footer)
            lines.Add("_" + SlackText.Escape(footer) + "_");
        text.AppendJoin('\n', lines);
    }

    static string? CardTitle(AttachmentBlock card)
    {
        if (card.Title is not { Length: > 0 } title)
            return null;
        var inner = new StringBuilder();
        if (card.TitleUrl is { } url)
            AppendLink(inner, new LinkInline(url, [new TextInline(title)]));
        else
            SlackText.AppendEscaped(inner, title);
        return "*" + inner + "*";
    }

    /// <summary>The text of inlines without any markup (table cells, headers).</summary>
    static string PlainText(ImmutableArray<ReplyInline> inlines)
    {
        var text = new StringBuilder();
        AppendPlain(text, inlines);
        return text.ToString();
    }

    static void AppendPlain(StringBuilder text, ImmutableArray<ReplyInline> inlines)
    {
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case TextInline t: text.Append(t.Text); break;
                case CodeInline c: text.Append(c.Text); break;
                case StrongInline s: AppendPlain(text, s.Inlines); break;
                case EmphasisInline e: AppendPlain(text, e.Inlines); break;
                case StrikeInline s: AppendPlain(text, s.Inlines); break;
                case LinkInline l when l.Inlines.IsEmpty: text.Append(l.Url); break;
                case LinkInline l: AppendPlain(text, l.Inlines); break;
                case LineBreakInline: text.Append(' '); break;
                case MentionInline m: text.Append('@').Append(m.Handle); break;
            }
        }
    }

    static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn }),
    };

    static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    // ---- ASCII tables (TableRex style) -------------------------------------------------------------

    static class AsciiTable
    {
        public static string Render(TableBlock table)
        {
            var columns = table.Header.Length;
            var rows = new List<string[]>(table.Rows.Length + 1) { Cells(table.Header, columns) };
            foreach (var row in table.Rows)
                rows.Add(Cells(row, columns));
            var widths = new int[columns];
            foreach (var row in rows)
            {
                for (var c = 0; c < columns; c++)
                    widths[c] = Math.Max(widths[c], row[c].Length);
            }
            var text = new StringBuilder();
            var border = new StringBuilder("+");
            foreach (var width in widths)
                border.Append('-', width + 2).Append('+');
            text.Append(border).Append('\n');
            for (var r = 0; r < rows.Count; r++)
            {
                text.Append('|');
                for (var c = 0; c < columns; c++)
                {
                    var alignment = c < table.Alignments.Length ? table.Alignments[c] : ColumnAlignment.Default;
                    text.Append(' ').Append(Pad(rows[r][c], widths[c], r == 0 ? ColumnAlignment.Default : alignment)).Append(" |");
                }
                text.Append('\n');
                if (r == 0)
                    text.Append(border).Append('\n');
            }
            text.Append(border);
            return text.ToString();
        }

        static string[] Cells(ImmutableArray<ImmutableArray<ReplyInline>> row, int columns)
        {
            var cells = new string[columns];
            for (var c = 0; c < columns; c++)
                cells[c] = c < row.Length ? PlainText(row[c]).Replace('\n', ' ') : "";
            return cells;
        }

        static string Pad(string cell, int width, ColumnAlignment alignment) => alignment switch
        {
            ColumnAlignment.Right => cell.PadLeft(width),
            ColumnAlignment.Center => cell.PadLeft(cell.Length + ((width - cell.Length) / 2)).PadRight(width),
            _ => cell.PadRight(width),
        };
    }

    // ---- Block Kit -------------------------------------------------------------------------------------------------

    /// <summary>Fills messages with blocks within Slack's limits; each message also gets the mrkdwn of its blocks as
    /// <c>text</c>.</summary>
    sealed class BlockKitBuilder
    {
        readonly List<SlackMessagePart> _parts = [];
        readonly List<ReplyBlock> _flow = [];
        JsonArray _blocks = [];
        StringBuilder _text = new();
        int _characters;
        bool _hasTable;

        public void AddAll(ImmutableArray<ReplyBlock> blocks)
        {
            foreach (var block in blocks)
            {
                switch (block)
                {
                    case HeadingBlock heading:
                        FlushFlow();
                        var title = PlainText(heading.Inlines);
                        if (title.Length > MaxHeaderLength)
                            title = title[..(MaxHeaderLength - 1)] + "…";
                        if (title.Length > 0)
                        {
                            Add(new JsonObject
                            {
                                ["type"] = "header",
                                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = title },
                            }, ToMrkdwn([heading]), title.Length);
                        }
                        break;
                    case RuleBlock:
                        FlushFlow();
                        Add(new JsonObject { ["type"] = "divider" }, RuleText, 0);
                        break;
                    case TableBlock table:
                        FlushFlow();
                        AddTable(table);
                        break;
                    case AttachmentBlock card:
                        FlushFlow();
                        AddCard(card);
                        break;
                    default:
                        _flow.Add(block);
                        break;
                }
            }
            FlushFlow();
        }

        public List<SlackMessagePart> Finish()
        {
            NewPart();
            return _parts;
        }

        void AddTable(TableBlock table)
        {
            if (table.Header.Length is 0 or > MaxTableColumns || table.Rows.Length + 1 > MaxTableRows)
            {
                // Too big for a table block: an ASCII grid in code sections (split with the fences kept balanced).
                AddSections(ToMrkdwn([table]));
                return;
            }
            var rows = new JsonArray { Row(table.Header) };
            var characters = 0;
            foreach (var row in table.Rows)
                rows.Add(Row(row));
            foreach (var row in rows)
            {
                foreach (var cell in row!.AsArray())
                    characters += cell!["text"]!.GetValue<string>().Length;
            }
            var settings = new JsonArray();
            for (var c = 0; c < table.Header.Length; c++)
            {
                var alignment = c < table.Alignments.Length ? table.Alignments[c] : ColumnAlignment.Default;
                settings.Add(new JsonObject
                {
                    ["align"] = alignment switch { ColumnAlignment.Right => "right", ColumnAlignment.Center => "center", _ => "left" },
                });
            }
            // One table block per message (Slack's placement rules for tables are not documented).
            if (_hasTable)
                NewPart();
            Add(new JsonObject { ["type"] = "table", ["column_settings"] = settings, ["rows"] = rows }, ToMrkdwn([table]), characters);
            _hasTable = true;

            JsonArray Row(ImmutableArray<ImmutableArray<ReplyInline>> cells)
            {
                var row = new JsonArray();
                for (var c = 0; c < table.Header.Length; c++)
                    row.Add(new JsonObject { ["type"] = "raw_text", ["text"] = c < cells.Length ? PlainText(cells[c]) : "" });
                return row;
            }
        }

        void AddCard(AttachmentBlock card)
        {
            if (card.Pretext is { Length: > 0 } pretext)
                AddSections(SlackText.Escape(pretext));
            if (CardTitle(card) is { } title)
                AddSections(title);
            if (card.Author is { Length: > 0 } author)
                Add(Context(SlackText.Escape(author)), "_" + SlackText.Escape(author) + "_", author.Length);
            for (var start = 0; start < card.Fields.Length; start += MaxFields)
            {
                var fields = new JsonArray();
                var text = new StringBuilder();
                var characters = 0;
                for (var i = start; i < Math.Min(start + MaxFields, card.Fields.Length); i++)
                {
                    var field = card.Fields[i];
                    var content = $"*{SlackText.Escape(field.Title)}*\n{SlackText.Escape(field.Value)}";
                    if (content.Length > MaxFieldLength)
                        content = content[..(MaxFieldLength - 1)] + "…";
                    fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = content });
                    characters += content.Length;
                    if (text.Length > 0)
                        text.Append('\n');
                    text.Append('*').Append(SlackText.Escape(field.Title)).Append(":* ").Append(SlackText.Escape(field.Value));
                }
                Add(new JsonObject { ["type"] = "section", ["fields"] = fields }, text.ToString(), characters);
            }
            AddAll(card.Body);
            if (card.Footer is { Length: > 0 } footer)
                Add(Context(SlackText.Escape(footer)), "_" + SlackText.Escape(footer) + "_", footer.Length);
        }

        void FlushFlow()
        {
            if (_flow.Count == 0)
                return;
            var mrkdwn = ToMrkdwn([.. _flow]);
            _flow.Clear();
            AddSections(mrkdwn);
        }

        void AddSections(string mrkdwn)
        {
            foreach (var piece in MrkdwnSplitter.Split(mrkdwn, MaxSectionLength))
                Add(Section(piece), piece, piece.Length);
        }

        void Add(JsonObject block, string text, int characters)
        {
            if (_blocks.Count + 1 > MaxBlocks || _characters + characters > MaxBlockCharacters)
                NewPart();
            _blocks.Add(block);
            _characters += characters;
            if (_text.Length > 0)
                _text.Append("\n\n");
            _text.Append(text);
        }

        void NewPart()
        {
            if (_blocks.Count == 0)
                return;
            _parts.Add(new SlackMessagePart(_text.ToString(), _blocks));
            _blocks = [];
            _text = new StringBuilder();
            _characters = 0;
            _hasTable = false;
        }
    }
}
