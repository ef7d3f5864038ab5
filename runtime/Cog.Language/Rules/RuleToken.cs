namespace Cog.Language.Rules;

/// <summary>A token of a rule.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Offset of its first character in the source.</param>
/// <param name="Length">Its length in the source, delimiters included.</param>
/// <param name="Text">Its text: the content for quoted strings and regexes (escapes kept), the source text otherwise.</param>
readonly record struct RuleToken(RuleTokenKind Kind, int Start, int Length, string Text)
{
    /// <summary>Offset one past its last character.</summary>
    public int End => Start + Length;
}
