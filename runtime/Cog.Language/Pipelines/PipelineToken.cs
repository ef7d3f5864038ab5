using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>A top-level token: its kind and where it is in the source.</summary>
/// <param name="Kind">The token kind.</param>
/// <param name="Start">Where the token starts.</param>
/// <param name="Length">Its length in UTF-16 code units; quoted tokens include their quotes.</param>
readonly record struct PipelineToken(PipelineTokenKind Kind, SourcePosition Start, int Length)
{
    /// <summary>Offset one past the token's last character.</summary>
    public int End => Start.Offset + Length;

    /// <summary>The token's span.</summary>
    public SourceSpan Span => new(Start, Length);

    /// <summary>The token's text in <paramref name="source"/>.</summary>
    public string TextIn(string source) => source.Substring(Start.Offset, Length);
}
