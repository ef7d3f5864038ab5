using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using Cog.Runtime.Rendering;

namespace Cog.Web.Chat;

/// <summary>Renders a <see cref="ReplyDocument"/> as the HTML the console shows: only known elements, every text escaped,
/// no <c>style</c> attribute (the console's Content-Security-Policy forbids inline style; alignment and colours are
/// classes), links only to http, https and mailto.</summary>
/// <remarks>Pure; thread-safe.</remarks>
static class HtmlReplyRenderer
{
    static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>The HTML of <paramref name="document"/>.</summary>
    public static string Render(ReplyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        Blocks(html, document.Blocks);
        return html.ToString();
    }

    /// <summary>A person's message: its text escaped, lines kept.</summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder("<p>");
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                html.Append("<br>");
            html.Append(Encoder.Encode(lines[i].TrimEnd('\r')));
        }
        return html.Append("</p>").ToString();
    }

    static void Blocks(StringBuilder html, ImmutableArray<ReplyBlock> blocks)
    {
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
                // Replies sit inside a page whose own headings are h1-h2: a reply's headings start at h3.
                var level = Math.Clamp(h.Level + 2, 3, 6);
                html.Append("<h").Append(level).Append('>');
                Inlines(html, h.Inlines);
                html.Append("</h").Append(level).Append('>');
                break;
            case CodeBlock c:
                html.Append("<pre><code");
                if (!string.IsNullOrEmpty(c.Language))
                    html.Append(" class=\"language-").Append(Encoder.Encode(c.Language)).Append('"');
                html.Append('>').Append(Encoder.Encode(c.Text)).Append("</code></pre>");
                break;
            case ListBlock l:
                html.Append(l.Ordered ? "<ol" : "<ul");
                if (l.Ordered && l.Start != 1)
                    html.Append(" start=\"").Append(l.Start).Append('"');
                html.Append('>');
                foreach (var item in l.Items)
                {
                    html.Append("<li>");
                    Blocks(html, item);
                    html.Append("</li>");
                }
                html.Append(l.Ordered ? "</ol>" : "</ul>");
                break;
            case TableBlock t:
                Table(html, t);
                break;
            case QuoteBlock q:
                html.Append("<blockquote>");
                Blocks(html, q.Blocks);
                html.Append("</blockquote>");
                break;
            case RuleBlock:
                html.Append("<hr>");
                break;
            case AttachmentBlock a:
                Attachment(html, a);
                break;
        }
    }

    static void Table(StringBuilder html, TableBlock table)
    {
        html.Append("<div class=\"table-scroll\"><table><thead><tr>");
        for (var i = 0; i < table.Header.Length; i++)
        {
            html.Append("<th scope=\"col\"").Append(Align(table.Alignments, i)).Append('>');
            Inlines(html, table.Header[i]);
            html.Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append("<td").Append(Align(table.Alignments, i)).Append('>');
                Inlines(html, row[i]);
                html.Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
    }

    static string Align(ImmutableArray<ColumnAlignment> alignments, int column) =>
        column < alignments.Length ? alignments[column] switch
        {
            ColumnAlignment.Right => " class=\"align-right\"",
            ColumnAlignment.Center => " class=\"align-center\"",
            _ => "",
        } : "";

    static void Attachment(StringBuilder html, AttachmentBlock a)
    {
        if (a.Pretext is { } pretext)
            html.Append("<p>").Append(Encoder.Encode(pretext)).Append("</p>");
        html.Append("<section class=\"attachment");
        if (ColorClass(a.Color) is { } color)
            html.Append(" attachment-").Append(color);
        html.Append("\">");
        if (a.Author is { } author)
            html.Append("<p class=\"attachment-author\">").Append(Encoder.Encode(author)).Append("</p>");
        if (a.Title is { } title)
        {
            html.Append("<h3 class=\"attachment-title\">");
            if (a.TitleUrl is { } url && IsSafeUrl(url))
                html.Append("<a href=\"").Append(Encoder.Encode(url)).Append("\" rel=\"noopener noreferrer\" target=\"_blank\">")
                    .Append(Encoder.Encode(title)).Append("</a>");
            else
                html.Append(Encoder.Encode(title));
            html.Append("</h3>");
        }
        Blocks(html, a.Body);
        if (a.Fields.Length > 0)
        {
            html.Append("<dl class=\"attachment-fields\">");
            foreach (var field in a.Fields)
            {
                html.Append(field.Short ? "<div class=\"field field-short\">" : "<div class=\"field\">")
                    .Append("<dt>").Append(Encoder.Encode(field.Title)).Append("</dt><dd>")
                    .Append(Encoder.Encode(field.Value)).Append("</dd></div>");
            }
            html.Append("</dl>");
        }
        if (a.Footer is { } footer)
            html.Append("<p class=\"attachment-footer\">").Append(Encoder.Encode(footer)).Append("</p>");
        html.Append("</section>");
    }

    /// <summary>A colour name as a class suffix; <c>#rrggbb</c> and unknown names get no class (no inline style).</summary>
    static string? ColorClass(string? color) => color?.ToUpperInvariant() switch
    {
        "RED" => "red",
        "GREEN" => "green",
        "BLUE" => "blue",
        "YELLOW" => "yellow",
        "ORANGE" => "orange",
        "PURPLE" => "purple",
        "GREY" or "GRAY" => "grey",
        _ => null,
    };

    static void Inlines(StringBuilder html, ImmutableArray<ReplyInline> inlines)
    {
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case TextInline t:
                    html.Append(Encoder.Encode(t.Text));
                    break;
                case StrongInline s:
                    Wrap(html, "strong", s.Inlines);
                    break;
                case EmphasisInline e:
                    Wrap(html, "em", e.Inlines);
                    break;
                case StrikeInline s:
                    Wrap(html, "del", s.Inlines);
                    break;
                case CodeInline c:
                    html.Append("<code>").Append(Encoder.Encode(c.Text)).Append("</code>");
                    break;
                case LinkInline l when IsSafeUrl(l.Url):
                    html.Append("<a href=\"").Append(Encoder.Encode(l.Url)).Append("\" rel=\"noopener noreferrer\" target=\"_blank\">");
                    if (l.Inlines.IsDefaultOrEmpty)
                        html.Append(Encoder.Encode(l.Url));
                    else
                        Inlines(html, l.Inlines);
                    html.Append("</a>");
                    break;
                case LinkInline l:
                    if (l.Inlines.IsDefaultOrEmpty)
                        html.Append(Encoder.Encode(l.Url));
                    else
                        Inlines(html, l.Inlines);
                    break;
                case LineBreakInline:
                    html.Append("<br>");
                    break;
            }
        }
    }

    static void Wrap(StringBuilder html, string tag, ImmutableArray<ReplyInline> inlines)
    {
        html.Append('<').Append(tag).Append('>');
        Inlines(html, inlines);
        html.Append("</").Append(tag).Append('>');
    }

    static bool IsSafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto";
}
