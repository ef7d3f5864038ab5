using System.Text;
using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>Small helpers for positions and characters shared by the command-language scanners.</summary>
static class SourceWalk
{
    /// <summary>The position of <c>source[index]</c>, given that <c>source[baseIndex]</c> is at <paramref name="basePosition"/>.</summary>
    /// <remarks>Walks only the characters in between, so it is cheap inside a token.</remarks>
    public static SourcePosition Advance(string source, int baseIndex, SourcePosition basePosition, int index)
    {
        int line = basePosition.Line, column = basePosition.Column;
        for (var i = baseIndex; i < index; i++)
        {
            var c = source[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= source.Length || source[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return new SourcePosition(basePosition.Offset + (index - baseIndex), line, column);
    }

    /// <summary>The whole character (one code point, so a surrogate pair stays together) at <paramref name="index"/>.</summary>
    public static string CodePointAt(string source, int index) =>
        char.IsHighSurrogate(source[index]) && index + 1 < source.Length && char.IsLowSurrogate(source[index + 1])
            ? source.Substring(index, 2)
            : source.Substring(index, 1);

    /// <summary>Whether the character may follow the first letter of a variable or command name: <c>[a-zA-Z0-9_-]</c>.</summary>
    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>
    /// Decodes quoted text between <paramref name="start"/> and <paramref name="end"/> (quotes excluded):
    /// <c>\"</c>, <c>\'</c> and <c>\\</c> are escapes (docs/language.md L3); any other backslash is kept with the character after it.
    /// </summary>
    public static string Unescape(string source, int start, int end)
    {
        var backslash = source.IndexOf('\\', start, end - start);
        if (backslash < 0)
        {
            return source.Substring(start, end - start);
        }
        var builder = new StringBuilder(end - start);
        builder.Append(source, start, backslash - start);
        for (var i = backslash; i < end; i++)
        {
            var c = source[i];
            if (c == '\\' && i + 1 < end)
            {
                var next = source[i + 1];
                if (next is not ('"' or '\'' or '\\'))
                {
                    builder.Append(c);
                }
                builder.Append(next);
                i++;
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
