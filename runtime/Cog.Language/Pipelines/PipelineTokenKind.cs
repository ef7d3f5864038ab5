namespace Cog.Language.Pipelines;

/// <summary>The kinds of top-level token in the command language. <see cref="PipelineTokenKinds.Display"/> gives each an example for messages.</summary>
enum PipelineTokenKind
{
    /// <summary>The end of the input.</summary>
    End,

    /// <summary>Unquoted text, possibly with quoted pieces glued to it (<c>$a['k k'][1]</c>, <c>$a.'k k'</c>).</summary>
    Text,

    /// <summary><c>"..."</c>.</summary>
    DoubleQuoted,

    /// <summary><c>'...'</c>.</summary>
    SingleQuoted,

    /// <summary><c>|</c>.</summary>
    Pipe,

    /// <summary><c>&amp;&amp;</c>.</summary>
    And,

    /// <summary><c>&gt;</c>.</summary>
    Redirect,

    /// <summary><c>*&gt;</c>.</summary>
    RedirectMulti,
}

/// <summary>Display examples of <see cref="PipelineTokenKind"/> members.</summary>
static class PipelineTokenKinds
{
    /// <summary>How a token of this kind looks, for messages: the operator itself, or an example.</summary>
    public static string Display(this PipelineTokenKind kind) => kind switch
    {
        PipelineTokenKind.End => "end of input",
        PipelineTokenKind.Text => "word",
        PipelineTokenKind.DoubleQuoted => "\"text\"",
        PipelineTokenKind.SingleQuoted => "'text'",
        PipelineTokenKind.Pipe => "|",
        PipelineTokenKind.And => "&&",
        PipelineTokenKind.Redirect => ">",
        PipelineTokenKind.RedirectMulti => "*>",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether a token of this kind can be an argument or a redirect target.</summary>
    public static bool IsWord(this PipelineTokenKind kind) =>
        kind is PipelineTokenKind.Text or PipelineTokenKind.DoubleQuoted or PipelineTokenKind.SingleQuoted;
}
