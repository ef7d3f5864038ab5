using System.Text;

namespace Cog.Runtime.Templates;

/// <summary>Greenbar's "collapsible newlines" for Liquid: a line holding nothing but <c>{% … %}</c> tags (and
/// whitespace) vanishes from the output, indentation and newline included, so a loop or condition written on lines of
/// its own leaves no blank lines behind.</summary>
/// <remarks>The source is rewritten before it is parsed; <see cref="Collapsed.Original"/> maps a position in the
/// rewritten text back to the template as written, for error messages. Pure; thread-safe.</remarks>
static class TagLines
{
    /// <summary>The rewritten text and, for each of its characters, the offset of that character in the source.</summary>
    public sealed record Collapsed(string Text, int[] Offsets)
    {
        /// <summary>The source offset of rewritten <paramref name="offset"/>.</summary>
        public int Original(int offset) => Offsets.Length == 0 ? 0 : Offsets[Math.Clamp(offset, 0, Offsets.Length - 1)];
    }

    /// <summary>Rewrites <paramref name="source"/>.</summary>
    public static Collapsed Collapse(string source)
    {
        var text = new StringBuilder(source.Length);
        var offsets = new List<int>(source.Length);
        var start = 0;
        while (start < source.Length)
        {
            var newline = source.IndexOf('\n', start);
            var end = newline < 0 ? source.Length : newline;
            var line = source.AsSpan(start, end - start);
            var trimmed = line.Trim();
            if (IsTagsOnly(trimmed))
            {
                var first = start + (line.Length - line.TrimStart().Length);
                for (var i = 0; i < trimmed.Length; i++)
                {
                    text.Append(trimmed[i]);
                    offsets.Add(first + i);
                }
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    text.Append(source[i]);
                    offsets.Add(i);
                }
                if (newline >= 0)
                {
                    text.Append('\n');
                    offsets.Add(newline);
                }
            }
            start = end + 1;
        }
        offsets.Add(source.Length);
        return new Collapsed(text.ToString(), [.. offsets]);
    }

    /// <summary>Whether <paramref name="line"/> (trimmed) is one or more <c>{% … %}</c> tags separated by whitespace.</summary>
    static bool IsTagsOnly(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith("{%"))
            return false;
        while (line.Length > 0)
        {
            if (!line.StartsWith("{%"))
                return false;
            var close = line.IndexOf("%}");
            if (close < 0)
                return false;
            // An output inside is not a tag line ("{% if x %}{{ y }}{% endif %}" shows y).
            if (line[..close].Contains("{{", StringComparison.Ordinal))
                return false;
            line = line[(close + 2)..].TrimStart();
        }
        return true;
    }
}
