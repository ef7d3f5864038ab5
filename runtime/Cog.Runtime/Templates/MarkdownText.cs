using System.Text;
using Cog.Runtime.Rendering;

namespace Cog.Runtime.Templates;

/// <summary>Writing text into Markdown so that it stays text: the escaping of values a template outputs, of table
/// cells, and the fences of code blocks.</summary>
/// <remarks>Pure; thread-safe.</remarks>
static class MarkdownText
{
    /// <summary>Whether <paramref name="c"/> is escaped with a backslash: every ASCII punctuation character that can start
    /// or change Markdown structure (emphasis, code, links, headings, lists, quotes, tables, fences, rules, entities).</summary>
    public static bool IsSpecial(char c) => c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '<' or '>'
        or '#' or '+' or '-' or '.' or '!' or '|' or '~' or '&' or '=';

    /// <summary>The index of the first character of <paramref name="text"/> that <see cref="Escape"/> changes, or -1.</summary>
    public static int FirstToEscape(ReadOnlySpan<char> text)
    {
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSpecial(c) || c == '\r' || (lineStart && c is ' ' or '\t'))
                return i;
            lineStart = c == '\n';
        }
        return -1;
    }

    /// <summary>
    /// <paramref name="text"/> as Markdown that reads back as exactly this text: special punctuation is backslash-escaped;
    /// spaces and tabs that begin a line become character references (so indentation is kept and cannot make a code
    /// block or a nested list); <c>\r\n</c> becomes <c>\n</c>. A newline stays a newline (a line break in the reply; two
    /// make a new paragraph).
    /// </summary>
    public static string Escape(string text)
    {
        var first = FirstToEscape(text);
        if (first < 0)
            return text;
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        AppendEscaped(builder, text.AsSpan(first), lineStart: first == 0 || text[first - 1] == '\n');
        return builder.ToString();
    }

    /// <summary>Appends <paramref name="text"/> escaped as by <see cref="Escape"/>.</summary>
    public static void AppendEscaped(StringBuilder builder, ReadOnlySpan<char> text, bool lineStart = true)
    {
        foreach (var c in text)
        {
            if (lineStart && c == ' ')
            {
                builder.Append("&#32;");
                continue;
            }
            if (lineStart && c == '\t')
            {
                builder.Append("&#9;");
                continue;
            }
            lineStart = c == '\n';
            if (c == '\r')
                continue;
            if (IsSpecial(c))
                builder.Append('\\');
            builder.Append(c);
        }
    }

    /// <summary>Text for one cell of a pipe table: escaped, on one line (line breaks become spaces).</summary>
    public static void AppendCell(StringBuilder builder, string text)
    {
        var start = builder.Length;
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t')
            {
                builder.Append(' ');
                continue;
            }
            if (IsSpecial(c))
                builder.Append('\\');
            builder.Append(c);
        }
        // A cell of spaces only would read as empty anyway; trim so alignment rows stay tidy.
        while (builder.Length > start && builder[^1] == ' ')
            builder.Length--;
    }

    /// <summary>A fenced code block holding <paramref name="text"/> verbatim: the fence is one backtick longer than the
    /// longest run of backticks in the text (at least three), so the text cannot close it.</summary>
    public static string Fence(string text, string? info)
    {
        var fence = new string('`', Math.Max(3, LongestRun(text, '`') + 1));
        var body = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        return $"\n{fence}{info}\n{body}\n{fence}\n";
    }

    /// <summary>The scheme of the autolinks that stand for mentions in a template's Markdown.</summary>
    public const string MentionScheme = "cog-mention:";

    /// <summary><paramref name="mention"/> as Markdown: an autolink <c>&lt;cog-mention:provider/id/handle&gt;</c> with
    /// each part percent-encoded, which <see cref="ReadMention"/> turns back. Data written with <c>{{ }}</c> cannot forge
    /// one: its <c>&lt;</c> is escaped.</summary>
    public static string Mention(MentionInline mention) =>
        "<" + MentionScheme + Uri.EscapeDataString(mention.Provider) + "/" + Uri.EscapeDataString(mention.UserId) + "/"
        + Uri.EscapeDataString(mention.Handle) + ">";

    /// <summary>The mention an autolink's URL stands for, or <see langword="null"/> when it is not a mention.</summary>
    public static MentionInline? ReadMention(string url)
    {
        if (!url.StartsWith(MentionScheme, StringComparison.Ordinal))
            return null;
        var parts = url[MentionScheme.Length..].Split('/');
        if (parts.Length != 3 || parts[2].Length == 0)
            return null;
        try
        {
            return new MentionInline(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), Uri.UnescapeDataString(parts[2]));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary>The longest run of <paramref name="c"/> in <paramref name="text"/>.</summary>
    public static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var x in text)
        {
            run = x == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
