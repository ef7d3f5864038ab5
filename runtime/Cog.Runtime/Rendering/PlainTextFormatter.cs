using System.Collections.Immutable;
using System.Text;

namespace Cog.Runtime.Rendering;

/// <summary>A reply as plain text for a terminal (cogctl, the API's <c>rendered</c> field): paragraphs and blocks
/// separated by blank lines, emphasis dropped, links as "text (url)", lists with <c>•</c> and <c>1.</c>, tables as
/// aligned columns under a dashed header, code indented four spaces (a reply that is only a code block, such as the
/// <c>raw</c> JSON, is printed as it is, so it can be piped on), quotes with <c>&gt; </c>, cards with a <c>│ </c> bar.</summary>
/// <remarks>Pure; thread-safe. The text has no trailing newline.</remarks>
public static class PlainTextFormatter
{
    const string Bar = "│ ";

    /// <summary>The text of <paramref name="document"/>.</summary>
    public static string Format(ReplyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Blocks is [CodeBlock only])
            return only.Text;
        return Blocks(document.Blocks);
    }

    static string Blocks(ImmutableArray<ReplyBlock> blocks)
    {
        var text = new StringBuilder();
        if (blocks.IsDefault)
            return "";
        foreach (var block in blocks)
        {
            var rendered = Block(block);
            if (rendered.Length == 0)
                continue;
            if (text.Length > 0)
                text.Append("\n\n");
            text.Append(rendered);
        }
        return text.ToString();
    }

    static string Block(ReplyBlock block) => block switch
    {
        ParagraphBlock p => ReplyText.Plain(p.Inlines),
        HeadingBlock h => Heading(h),
        CodeBlock c => Prefix(c.Text, "    "),
        ListBlock l => List(l),
        TableBlock t => Table(t),
        QuoteBlock q => Prefix(Blocks(q.Blocks), "> "),
        RuleBlock => new string('─', 40),
        AttachmentBlock a => Attachment(a),
        _ => "",
    };

    static string Heading(HeadingBlock heading)
    {
        var text = ReplyText.Plain(heading.Inlines, " ");
        return heading.Level switch
        {
            1 => text + "\n" + new string('=', Math.Max(3, text.Length)),
            2 => text + "\n" + new string('-', Math.Max(3, text.Length)),
            _ => text,
        };
    }

    static string List(ListBlock list)
    {
        var text = new StringBuilder();
        var number = list.Start;
        var tight = true;
        foreach (var item in list.Items)
            tight &= item.Length <= 1 || (item.Length == 2 && item[1] is ListBlock);
        foreach (var item in list.Items)
        {
            var marker = list.Ordered ? $"{number++}. " : "• ";
            var body = Blocks(item);
            if (tight)
                body = body.Replace("\n\n", "\n", StringComparison.Ordinal);
            if (text.Length > 0)
                text.Append(tight ? "\n" : "\n\n");
            text.Append(marker);
            text.Append(Prefix(body, new string(' ', marker.Length), skipFirst: true));
        }
        return text.ToString();
    }

    static string Table(TableBlock table)
    {
        var columns = table.Header.Length;
        var cells = new List<string[]>(table.Rows.Length + 1) { Cells(table.Header, columns) };
        foreach (var row in table.Rows)
            cells.Add(Cells(row, columns));
        var widths = new int[columns];
        foreach (var row in cells)
        {
            for (var c = 0; c < columns; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var text = new StringBuilder();
        for (var r = 0; r < cells.Count; r++)
        {
            if (r > 0)
                text.Append('\n');
            AppendRow(text, cells[r], widths, table.Alignments);
            if (r == 0)
            {
                text.Append('\n');
                AppendRow(text, [.. widths.Select(static w => new string('-', w))], widths, table.Alignments);
            }
        }
        return text.ToString();
    }

    static string[] Cells(ImmutableArray<ImmutableArray<ReplyInline>> row, int columns)
    {
        var cells = new string[columns];
        for (var c = 0; c < columns; c++)
            cells[c] = c < row.Length ? ReplyText.Plain(row[c], " ") : "";
        return cells;
    }

    static void AppendRow(StringBuilder text, string[] cells, int[] widths, ImmutableArray<ColumnAlignment> alignments)
    {
        var start = text.Length;
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
                text.Append("  ");
            var pad = widths[c] - cells[c].Length;
            var alignment = c < alignments.Length ? alignments[c] : ColumnAlignment.Default;
            var left = alignment switch { ColumnAlignment.Right => pad, ColumnAlignment.Center => pad / 2, _ => 0 };
            text.Append(' ', left).Append(cells[c]).Append(' ', pad - left);
        }
        var end = text.Length;
        while (end > start && text[end - 1] == ' ')
            end--;
        text.Length = end;
    }

    static string Attachment(AttachmentBlock card)
    {
        var lines = new List<string>();
        if (card.Title is { Length: > 0 } title)
            lines.Add(card.TitleUrl is { } url && ReplyText.IsSafeUrl(url) ? $"{title} ({url})" : title);
        if (card.Author is { Length: > 0 } author)
            lines.Add(author);
        foreach (var field in card.Fields)
            lines.Add($"{field.Title}: {field.Value}");
        var body = Blocks(card.Body);
        if (body.Length > 0)
        {
            if (lines.Count > 0)
                lines.Add("");
            lines.Add(body);
        }
        if (card.Footer is { Length: > 0 } footer)
        {
            lines.Add("");
            lines.Add(footer);
        }
        var text = Prefix(string.Join('\n', lines), Bar);
        return card.Pretext is { Length: > 0 } pretext ? pretext + "\n" + text : text;
    }

    /// <summary>Every line of <paramref name="text"/> prefixed (blank lines get the prefix without trailing spaces).</summary>
    static string Prefix(string text, string prefix, bool skipFirst = false)
    {
        var lines = text.Split('\n');
        var result = new StringBuilder(text.Length + lines.Length * prefix.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                result.Append('\n');
            if (!(skipFirst && i == 0))
                result.Append(lines[i].Length == 0 ? prefix.TrimEnd() : prefix);
            result.Append(lines[i]);
        }
        return result.ToString();
    }
}
