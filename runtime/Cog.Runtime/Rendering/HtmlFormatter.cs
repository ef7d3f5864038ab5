using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cog.Runtime.Rendering;

/// <summary>A reply as an HTML fragment for the web console: semantic elements, every text escaped, links only to http,
/// https and mailto (with <c>rel="noopener noreferrer"</c>), tables with <c>&lt;th scope="col"&gt;</c> inside a
/// scrollable wrapper, cards as <c>&lt;section&gt;</c> with a heading and a definition list of fields, mentions as
/// <c>&lt;span class="cog-mention"&gt;@handle&lt;/span&gt;</c>. Classes are
/// prefixed <c>cog-</c>; the whole reply is a <c>&lt;div class="cog-reply cog-reply-KIND"&gt;</c>.</summary>
/// <remarks>Pure; thread-safe. No inline script, no event attributes, no markup from data: the only style attribute is
/// a card's validated <c>#rrggbb</c> colour.</remarks>
public static class HtmlFormatter
{
    static readonly string[] Colors = ["red", "green", "blue", "yellow", "orange", "purple", "grey", "gray"];

    /// <summary>The HTML of <paramref name="document"/>.</summary>
    public static string Format(ReplyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        html.Append("<div class=\"cog-reply cog-reply-").Append(document.Kind.ToString().ToLowerInvariant()).Append("\">");
        Blocks(html, document.Blocks);
        html.Append("</div>");
        return html.ToString();
    }

    static void Blocks(StringBuilder html, ImmutableArray<ReplyBlock> blocks)
    {
        if (blocks.IsDefault)
            return;
        foreach (var block in blocks)
            Block(html, block);
    }

    static void Block(StringBuilder html, ReplyBlock block)
    {
        switch (block)
        {
            case ParagraphBlock p:
                html.Append("<p>");
                Inlines(html, p.Inlines);
                html.Append("</p>");
                break;
            case HeadingBlock h:
                var level = Math.Clamp(h.Level, 1, 6).ToString(CultureInfo.InvariantCulture);
                html.Append("<h").Append(level).Append('>');
                Inlines(html, h.Inlines);
                html.Append("</h").Append(level).Append('>');
                break;
            case CodeBlock c:
                html.Append("<pre class=\"cog-code\"><code");
                if (c.Language is { Length: > 0 } language && IsWord(language))
                    html.Append(" class=\"language-").Append(language).Append('"');
                html.Append('>');
                Escape(html, c.Text);
                html.Append("</code></pre>");
                break;
            case ListBlock l:
                List(html, l);
                break;
            case TableBlock t:
                Table(html, t);
                break;
            case QuoteBlock q:
                html.Append("<blockquote class=\"cog-quote\">");
                Blocks(html, q.Blocks);
                html.Append("</blockquote>");
                break;
            case RuleBlock:
                html.Append("<hr class=\"cog-rule\">");
                break;
            case AttachmentBlock a:
                Attachment(html, a);
                break;
        }
    }

    static void List(StringBuilder html, ListBlock list)
    {
        var tag = list.Ordered ? "ol" : "ul";
        html.Append('<').Append(tag).Append(" class=\"cog-list\"");
        if (list.Ordered && list.Start != 1)
            html.Append(" start=\"").Append(list.Start.ToString(CultureInfo.InvariantCulture)).Append('"');
        html.Append('>');
        foreach (var item in list.Items)
        {
            html.Append("<li>");
            if (item is [ParagraphBlock only])
                Inlines(html, only.Inlines);
            else
                Blocks(html, item);
            html.Append("</li>");
        }
        html.Append("</").Append(tag).Append('>');
    }

    static void Table(StringBuilder html, TableBlock table)
    {
        html.Append("<div class=\"cog-table-wrap\"><table class=\"cog-table\"><thead><tr>");
        for (var c = 0; c < table.Header.Length; c++)
        {
            html.Append("<th scope=\"col\"");
            Align(html, table.Alignments, c);
            html.Append('>');
            Inlines(html, table.Header[c]);
            html.Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var c = 0; c < row.Length; c++)
            {
                html.Append("<td");
                Align(html, table.Alignments, c);
                html.Append('>');
                Inlines(html, row[c]);
                html.Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
    }

    static void Align(StringBuilder html, ImmutableArray<ColumnAlignment> alignments, int column)
    {
        var alignment = column < alignments.Length ? alignments[column] : ColumnAlignment.Default;
        if (alignment is not ColumnAlignment.Default)
            html.Append(" class=\"cog-align-").Append(alignment.ToString().ToLowerInvariant()).Append('"');
    }

    static void Attachment(StringBuilder html, AttachmentBlock card)
    {
        html.Append("<section class=\"cog-card");
        var color = card.Color?.Trim().ToLowerInvariant();
        if (color is not null && Array.IndexOf(Colors, color) >= 0)
            html.Append(" cog-card-").Append(color == "gray" ? "grey" : color).Append('"');
        else if (color is not null && IsHexColor(color))
            html.Append("\" style=\"--cog-card-color:").Append(color).Append('"');
        else
            html.Append('"');
        html.Append('>');
        if (card.Pretext is { Length: > 0 } pretext)
            Paragraph(html, "cog-card-pretext", pretext);
        if (card.Title is { Length: > 0 } title)
        {
            html.Append("<h3 class=\"cog-card-title\">");
            if (card.TitleUrl is { } url && ReplyText.IsSafeUrl(url))
                Link(html, url, () => Escape(html, title));
            else
                Escape(html, title);
            html.Append("</h3>");
        }
        if (card.Author is { Length: > 0 } author)
            Paragraph(html, "cog-card-author", author);
        if (!card.Fields.IsDefaultOrEmpty)
        {
            html.Append("<dl class=\"cog-card-fields\">");
            foreach (var field in card.Fields)
            {
                html.Append(field.Short ? "<div class=\"cog-card-field cog-card-field-short\"><dt>" : "<div class=\"cog-card-field\"><dt>");
                Escape(html, field.Title);
                html.Append("</dt><dd>");
                Escape(html, field.Value);
                html.Append("</dd></div>");
            }
            html.Append("</dl>");
        }
        if (!card.Body.IsDefaultOrEmpty)
        {
            html.Append("<div class=\"cog-card-body\">");
            Blocks(html, card.Body);
            html.Append("</div>");
        }
        if (card.Footer is { Length: > 0 } footer)
        {
            html.Append("<footer class=\"cog-card-footer\">");
            Escape(html, footer);
            html.Append("</footer>");
        }
        html.Append("</section>");
    }

    static void Paragraph(StringBuilder html, string cssClass, string text)
    {
        html.Append("<p class=\"").Append(cssClass).Append("\">");
        Escape(html, text);
        html.Append("</p>");
    }

    static void Inlines(StringBuilder html, ImmutableArray<ReplyInline> inlines)
    {
        if (inlines.IsDefault)
            return;
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case TextInline t:
                    Escape(html, t.Text);
                    break;
                case CodeInline c:
                    html.Append("<code>");
                    Escape(html, c.Text);
                    html.Append("</code>");
                    break;
                case StrongInline s:
                    html.Append("<strong>");
                    Inlines(html, s.Inlines);
                    html.Append("</strong>");
                    break;
                case EmphasisInline e:
                    html.Append("<em>");
                    Inlines(html, e.Inlines);
                    html.Append("</em>");
                    break;
                case StrikeInline s:
                    html.Append("<del>");
                    Inlines(html, s.Inlines);
                    html.Append("</del>");
                    break;
                case LinkInline link:
                    var empty = link.Inlines.IsDefaultOrEmpty;
                    if (ReplyText.IsSafeUrl(link.Url))
                        Link(html, link.Url, () => { if (empty) Escape(html, link.Url); else Inlines(html, link.Inlines); });
                    else if (empty)
                        Escape(html, link.Url);
                    else
                        Inlines(html, link.Inlines);
                    break;
                case LineBreakInline:
                    html.Append("<br>");
                    break;
                case MentionInline mention:
                    html.Append("<span class=\"cog-mention\">@");
                    Escape(html, mention.Handle);
                    html.Append("</span>");
                    break;
            }
        }
    }

    static void Link(StringBuilder html, string url, Action content)
    {
        html.Append("<a href=\"");
        Escape(html, url);
        html.Append("\" rel=\"noopener noreferrer\" target=\"_blank\">");
        content();
        html.Append("</a>");
    }

    static void Escape(StringBuilder html, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                default: html.Append(c); break;
            }
        }
    }

    static bool IsWord(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+'))
                return false;
        }
        return true;
    }

    static bool IsHexColor(string text)
    {
        if (text.Length != 7 || text[0] != '#')
            return false;
        for (var i = 1; i < 7; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]))
                return false;
        }
        return true;
    }
}
