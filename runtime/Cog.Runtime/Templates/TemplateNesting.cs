namespace Cog.Runtime.Templates;

/// <summary>Measures how deeply Liquid text nests before Fluid parses it. Fluid's parser recurses once per open block and
/// per bracket or parenthesis, so a template nested a few thousand deep would exhaust the stack and stop the process:
/// the depth is bounded (<see cref="TemplateLimits.MaxRecursion"/>) before any parsing.</summary>
/// <remarks>
/// <para>The depth at a point is the number of open blocks (a tag with an end tag: <c>if</c>, <c>unless</c>, <c>case</c>,
/// <c>for</c>, <c>tablerow</c>, <c>capture</c>, <c>attachment</c>; also inside a <c>{% liquid %}</c> tag, one statement a
/// line) plus the brackets and parentheses open inside the current tag or output. <c>raw</c> and <c>comment</c> bodies are
/// skipped, as Fluid does not parse them; quoted strings inside tags are skipped too.</para>
/// <para>Pure, linear in the length of the text, never recursive.</para>
/// </remarks>
static class TemplateNesting
{
    static readonly HashSet<string> Blocks = new(StringComparer.Ordinal) { "if", "unless", "case", "for", "tablerow", "capture", "attachment" };

    /// <summary>The offset of the first tag, bracket or parenthesis that nests deeper than <paramref name="maxDepth"/>,
    /// or -1 when the text stays within it.</summary>
    public static int FindTooDeep(string liquid, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(liquid);
        var blocks = 0;
        var i = 0;
        while (true)
        {
            var open = liquid.IndexOf('{', i);
            if (open < 0 || open + 1 >= liquid.Length)
                return -1;
            var kind = liquid[open + 1];
            if (kind is not ('{' or '%'))
            {
                i = open + 1;
                continue;
            }
            var close = kind == '{' ? "}}" : "%}";
            var end = MarkupEnd(liquid, open + 2, close, blocks, maxDepth, out var tooDeep);
            if (tooDeep >= 0)
                return tooDeep;
            if (end < 0)
                return -1;
            i = end + 2;
            if (kind == '{')
                continue;
            var markup = liquid.AsSpan(open + 2, end - open - 2).Trim().Trim('-').Trim();
            var name = FirstWord(markup);
            switch (name)
            {
                case "raw" or "comment":
                    // The body is not parsed: skip to its end tag.
                    i = SkipBody(liquid, i, "end" + name);
                    break;
                case "liquid":
                    foreach (var line in markup[name.Length..].ToString().Split('\n'))
                    {
                        if (Step(FirstWord(line.AsSpan().Trim()), ref blocks, maxDepth))
                            return open;
                    }
                    break;
                default:
                    if (Step(name, ref blocks, maxDepth))
                        return open;
                    break;
            }
        }
    }

    /// <summary>Opens or closes a block for a tag named <paramref name="name"/>; whether that went past the limit.</summary>
    static bool Step(string name, ref int blocks, int maxDepth)
    {
        if (name.StartsWith("end", StringComparison.Ordinal))
        {
            blocks = Math.Max(0, blocks - 1);
            return false;
        }
        return Blocks.Contains(name) && ++blocks > maxDepth;
    }

    /// <summary>Where <paramref name="close"/> ends the markup starting at <paramref name="start"/> (or -1), checking
    /// the brackets and parentheses inside it on top of the open <paramref name="blocks"/>.</summary>
    static int MarkupEnd(string text, int start, string close, int blocks, int maxDepth, out int tooDeep)
    {
        tooDeep = -1;
        var brackets = 0;
        char quote = default;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != default)
            {
                if (c == quote)
                    quote = default;
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(' or '[':
                    if (blocks + ++brackets > maxDepth)
                    {
                        tooDeep = i;
                        return -1;
                    }
                    break;
                case ')' or ']':
                    brackets = Math.Max(0, brackets - 1);
                    break;
                default:
                    if (c == close[0] && i + 1 < text.Length && text[i + 1] == close[1])
                        return i;
                    break;
            }
        }
        return -1;
    }

    static int SkipBody(string text, int from, string endName)
    {
        var i = from;
        while (true)
        {
            var open = text.IndexOf("{%", i, StringComparison.Ordinal);
            if (open < 0)
                return text.Length;
            var end = text.IndexOf("%}", open + 2, StringComparison.Ordinal);
            if (end < 0)
                return text.Length;
            if (FirstWord(text.AsSpan(open + 2, end - open - 2).Trim().Trim('-').Trim()) == endName)
                return end + 2;
            i = end + 2;
        }
    }

    static string FirstWord(ReadOnlySpan<char> markup)
    {
        var length = 0;
        while (length < markup.Length && (char.IsLetterOrDigit(markup[length]) || markup[length] == '_'))
            length++;
        return markup[..length].ToString();
    }
}
