using System.Text;
using Cog.Language.Text;

namespace Cog.Language.Rules;

/// <summary>Every message the rule language shows to users, worded exactly as Cog 1.0 words them where it has one.</summary>
/// <remarks>
/// <see cref="LanguageError.Message"/> holds the message without a position; <see cref="Format"/> renders the
/// form Cog shows in chat, e.g. <c>(Line: 1, Col: 7) syntax error before: "x".</c>. Columns are 1-based.
/// </remarks>
public static class RuleErrors
{
    /// <summary>The input ended where the grammar needs more (Cog 1.0 wording, shown without a position).</summary>
    public const string UnexpectedEnd = "Unexpected end of input.";

    /// <summary>The command reference has no bundle part (Cog 1.0 wording).</summary>
    public const string CommandNeedsBundle = "References to commands must include bundle and command name.";

    /// <summary>A permission name has no bundle part (Cog 1.0 wording).</summary>
    public const string PermissionNeedsNamespace = "References to permissions must be the literal \"allow\" or start with a command bundle name or \"site\".";

    /// <summary>A bare <c>arg</c> (no index, no <c>any</c>/<c>all</c>) or an indexed <c>any arg[N]</c> (Cog 1.0 wording; docs/language.md R4).</summary>
    public const string ArgumentNeedsIndex = "Only integer, \"all\", or \"any\" argument index references allowed.";

    /// <summary>A rule that ends without saying who may run the command (docs/language.md R4).</summary>
    public const string MissingPermissionPart = "A rule must end with \"allow\" or with \"must have\" followed by the permissions it requires.";

    /// <summary><c>and</c> and <c>or</c> mixed at one level (docs/language.md R1).</summary>
    public const string MixedAndOr = "\"and\" and \"or\" cannot be mixed without parentheses; add parentheses to say which is meant, e.g. \"(a and b) or c\".";

    /// <summary>No rule of the command matched the invocation (Cog 1.0 wording).</summary>
    /// <param name="invocation">The invocation as the user wrote it (after alias expansion).</param>
    public static string NoMatchingRule(string invocation) =>
        $"No rules match the supplied invocation of '{invocation}'. Check your args and options, then confirm that the proper rules are in place.";

    /// <summary>The deciding rule denied the invocation (Cog 1.0 wording).</summary>
    /// <param name="invocation">The invocation as the user wrote it.</param>
    /// <param name="permissions">The permissions the deciding rule references, sorted.</param>
    public static string NotAllowed(string invocation, IEnumerable<string> permissions) =>
        $"Sorry, you aren't allowed to execute '{invocation}'.\nYou will need at least one of the following permissions to run this command: {string.Join(", ", permissions.Select(p => $"'{p}'"))}.";

    /// <summary>A rule could not be evaluated, so the invocation is refused (Cog for .NET; Cog 1.0 had no such case).</summary>
    /// <param name="invocation">The invocation as the user wrote it.</param>
    /// <param name="rule">The canonical text of the rule that could not be evaluated.</param>
    /// <param name="reason">What failed, e.g. <c>matching the regular expression /x/ timed out</c>.</param>
    public static string EvaluationFailed(string invocation, string rule, string reason) =>
        $"Sorry, you aren't allowed to execute '{invocation}': the rule \"{rule}\" could not be evaluated ({reason}), so the command is denied.";

    /// <summary>A stored rule of the command could not be loaded (it no longer parses), so every invocation is refused
    /// (Cog for .NET).</summary>
    /// <param name="invocation">The invocation as the user wrote it.</param>
    /// <param name="reason">Which rule and why, e.g. <c>stored rule 42 does not parse: ...</c>.</param>
    public static string RuleNotLoaded(string invocation, string reason) =>
        $"Sorry, you aren't allowed to execute '{invocation}': a stored rule of this command could not be loaded ({reason}), so the command is denied.";

    /// <summary>A condition or permission expression nested deeper than <see cref="RuleParser.MaxDepth"/>.</summary>
    public static readonly string TooDeep =
        $"The rule nests deeper than {RuleParser.MaxDepth} levels (each pair of parentheses and each and/or is one level).";

    const string SyntaxErrorPrefix = "syntax error before: ";
    const string IllegalPrefix = "illegal characters ";

    /// <summary>The parser found a token the grammar does not allow here (Cog 1.0 wording).</summary>
    /// <param name="token">The token as written (quoted strings and regexes without their delimiters).</param>
    public static string SyntaxErrorBefore(string token) => $"{SyntaxErrorPrefix}{Quote(token)}.";

    /// <summary>The lexer found characters that start no token (Cog 1.0 wording, shown without a position).</summary>
    /// <param name="characters">The characters read until the lexer got stuck, including the one it got stuck on.</param>
    public static string IllegalCharacters(string characters) => $"{IllegalPrefix}{Quote(characters)}.";

    /// <summary>A number literal or argument index too large to represent.</summary>
    public static string NumberTooLarge(string digits) => $"The number {digits} is too large.";

    /// <summary>A regular expression that does not compile.</summary>
    public static string InvalidRegex(string pattern) => $"Invalid regular expression /{pattern}/.";

    /// <summary>A regular expression using a construct that needs a backtracking engine; rule regexes run in linear
    /// time (Cog 1.0's were Erlang PCRE).</summary>
    /// <param name="pattern">The pattern between the slashes.</param>
    /// <param name="construct">What it uses, with its article: <c>a backreference</c>, <c>a lookaround</c>, ...</param>
    public static string UnsupportedRegex(string pattern, string construct) =>
        $"The regular expression /{pattern}/ uses {construct}, which rules do not support: rule regexes match in linear time, without backreferences, lookarounds, atomic groups, conditionals or \\G.";

    /// <summary>Renders an error of the rule parser the way Cog shows it: lexer errors and "Unexpected end of input."
    /// as they are, every other error prefixed with <c>(Line: L, Col: C) </c>.</summary>
    public static string Format(LanguageError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Message == UnexpectedEnd || error.Message.StartsWith(IllegalPrefix, StringComparison.Ordinal))
        {
            return error.Message;
        }
        return $"(Line: {error.Position.Line}, Col: {error.Position.Column}) {error.Message}";
    }

    /// <summary>Double-quotes text the way Erlang prints a string: backslash, quote and control characters escaped.</summary>
    static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ => builder.Append(c),
            };
        }
        return builder.Append('"').ToString();
    }
}
