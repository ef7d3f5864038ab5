namespace Cog.Language.Text;

/// <summary>A place in a piece of source text (chat text, a rule, a manifest).</summary>
/// <param name="Offset">Zero-based index of the UTF-16 code unit in the source.</param>
/// <param name="Line">One-based line number.</param>
/// <param name="Column">One-based column, counted in UTF-16 code units from the start of the line.</param>
public readonly record struct SourcePosition(int Offset, int Line, int Column)
{
    /// <summary>The first character of any source.</summary>
    public static SourcePosition Start { get; } = new(0, 1, 1);

    /// <summary>Computes the position of <paramref name="offset"/> in <paramref name="source"/>.</summary>
    /// <remarks>Line breaks are <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>. An offset at the end of the text is valid.</remarks>
    public static SourcePosition At(string source, int offset)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, source.Length);
        int line = 1, lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            var c = source[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= source.Length || source[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourcePosition(offset, line, offset - lineStart + 1);
    }

    /// <inheritdoc/>
    public override string ToString() => $"line {Line}, column {Column}";
}
