namespace Cog.Language.Text;

/// <summary>A range of source text: where a token or syntax node starts, and how long it is.</summary>
public readonly record struct SourceSpan(SourcePosition Start, int Length)
{
    /// <summary>Offset one past the last character of the span.</summary>
    public int End => Start.Offset + Length;
}
