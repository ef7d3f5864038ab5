using System.Collections.Immutable;
using System.Text;

namespace Cog.Runtime.Rendering;

/// <summary>Helpers the formatters share: inline content as plain text, and which link targets are safe.</summary>
/// <remarks>Pure; thread-safe.</remarks>
public static class ReplyText
{
    /// <summary>Whether <paramref name="url"/> may be a link: an absolute http, https or mailto URL.</summary>
    public static bool IsSafeUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);
    }

    /// <summary>The inlines as plain text: emphasis dropped, line breaks as <paramref name="lineBreak"/>, a link as its
    /// text followed by its URL in parentheses when the two differ, a mention as <c>@handle</c>.</summary>
    public static string Plain(ImmutableArray<ReplyInline> inlines, string lineBreak = "\n")
    {
        var text = new StringBuilder();
        Append(text, inlines, lineBreak);
        return text.ToString();
    }

    static void Append(StringBuilder text, ImmutableArray<ReplyInline> inlines, string lineBreak)
    {
        if (inlines.IsDefault)
            return;
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case TextInline t:
                    text.Append(t.Text);
                    break;
                case CodeInline c:
                    text.Append(c.Text);
                    break;
                case StrongInline s:
                    Append(text, s.Inlines, lineBreak);
                    break;
                case EmphasisInline e:
                    Append(text, e.Inlines, lineBreak);
                    break;
                case StrikeInline s:
                    Append(text, s.Inlines, lineBreak);
                    break;
                case LinkInline link:
                    var label = Plain(link.Inlines, lineBreak);
                    if (label.Length == 0 || label == link.Url)
                    {
                        text.Append(link.Url);
                    }
                    else
                    {
                        text.Append(label);
                        if (IsSafeUrl(link.Url))
                            text.Append(" (").Append(link.Url).Append(')');
                    }
                    break;
                case LineBreakInline:
                    text.Append(lineBreak);
                    break;
                case MentionInline mention:
                    text.Append('@').Append(mention.Handle);
                    break;
            }
        }
    }
}
