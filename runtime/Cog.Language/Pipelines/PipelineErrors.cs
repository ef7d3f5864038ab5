using System.Globalization;
using System.Text;

namespace Cog.Language.Pipelines;

/// <summary>Every message the command-language parser reports. Tests pin the exact text.</summary>
/// <remarks>
/// The lower-case messages (<c>syntax error before: </c>, <c>illegal characters</c>) are Cog 1.0's own wording, which
/// came from the Erlang lexer and parser generators; they are kept so that users and documentation stay valid.
/// Quoted fragments in them are written the way Erlang writes strings: in double quotes, with <c>"</c>, <c>\</c>
/// and control characters escaped.
/// </remarks>
public static class PipelineErrors
{
    /// <summary>The message for a syntax error at the end of the input (or of a word): <c>syntax error before: </c>, with the trailing space of Cog 1.0.</summary>
    public const string SyntaxErrorAtEnd = "syntax error before: ";

    /// <summary>A redirect target that starts with <c>chat:</c> but not <c>chat://</c>.</summary>
    public const string ChatUrlRedirect = "URL redirect targets must begin with chat://.";

    /// <summary><c>&gt;</c> followed by more than one target (docs/language.md L5).</summary>
    public const string SingleTargetRedirect =
        "A \">\" redirect takes exactly one target; use \"*>\" to send the output to several targets.";

    /// <summary>A redirect followed by <c>|</c> or <c>&amp;&amp;</c> (docs/language.md L6).</summary>
    public const string RedirectNotLast =
        "A redirect is only allowed at the end of the pipeline, after the last command.";

    /// <summary>A syntax error before a token: <c>syntax error before: "bc"</c>; an empty token means the end of the input.</summary>
    /// <param name="token">The offending token as written.</param>
    public static string SyntaxErrorBefore(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length == 0 ? SyntaxErrorAtEnd : SyntaxErrorAtEnd + ErlangString(token);
    }

    /// <summary>Characters that cannot start any token: <c>illegal characters "-"</c>.</summary>
    /// <param name="characters">The characters read before the lexer gave up, including the one it could not accept.</param>
    public static string IllegalCharacters(string characters) => "illegal characters " + ErlangString(characters);

    /// <summary>A double-quoted string without its closing quote; <paramref name="rest"/> is the input from the opening quote to the end.</summary>
    public static string MissingDoubleQuote(string rest) => "Missing double quote: " + rest;

    /// <summary>A single-quoted string without its closing quote; <paramref name="rest"/> is the input from the opening quote to the end.</summary>
    public static string MissingSingleQuote(string rest) => "Missing single quote: " + rest;

    /// <summary>A <c>${</c> interpolation without its <c>}</c>; <paramref name="rest"/> runs from <c>${</c> to the end of the quoted text.</summary>
    public static string MissingClosingBrace(string rest) => "Missing closing brace: " + rest;

    /// <summary>A HipChat emoji command name without its closing parenthesis: <c>HipChat emoji missing paren: "(shipit"</c>.</summary>
    public static string HipChatEmojiMissingParen(string text) => "HipChat emoji missing paren: \"" + text + "\"";

    /// <summary>An option written <c>-x=</c> or <c>--name=</c> that is not followed by an argument to use as its value.</summary>
    /// <param name="name">The option name without dashes.</param>
    public static string MissingOptionValue(string name) => "Missing value for option '" + name + "'";

    /// <summary>An integer literal (or list index) that does not fit in 64 bits (32 bits for an index).</summary>
    public static string IntegerOutOfRange(string text) => "Integer '" + text + "' is out of range.";

    /// <summary>A float literal too large to represent.</summary>
    public static string FloatOutOfRange(string text) => "Float '" + text + "' is out of range.";

    /// <summary>A variable used as a list index or map key, such as <c>$a[$i]</c>; Cog 1.0 parsed it but could not bind it.</summary>
    /// <param name="expression">The whole variable expression as written.</param>
    public static string VariableIndexNotSupported(string expression) =>
        "Variables cannot be used as an index or key ('" + expression + "'); use a literal index such as [0] or a key such as ['name'].";

    /// <summary>The pipeline text is longer than <see cref="PipelineLimits.MaxTextLength"/>; reported at the first character past the limit.</summary>
    public static string TextTooLong(int length, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"The pipeline is {length:N0} characters long; the limit is {limit:N0}.");

    /// <summary>More stages than <see cref="PipelineLimits.MaxStages"/>; reported at the first stage past the limit.</summary>
    public static string TooManyStages(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many commands in one pipeline; the limit is {limit:N0}.");

    /// <summary>More arguments than <see cref="PipelineLimits.MaxArguments"/>; reported at the first argument past the limit.</summary>
    public static string TooManyArguments(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many arguments in one pipeline; the limit is {limit:N0}.");

    /// <summary>More variable references than <see cref="PipelineLimits.MaxVariableReferences"/>; reported at the first one past the limit.</summary>
    public static string TooManyVariableReferences(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many variable references in one pipeline; the limit is {limit:N0}.");

    /// <summary>A variable with more keys and indexes than <see cref="PipelineLimits.MaxVariablePathLength"/>; reported at the first one past the limit.</summary>
    /// <param name="name">The variable's name, without <c>$</c>.</param>
    /// <param name="limit">The limit.</param>
    public static string VariablePathTooLong(string name, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"The path of variable '${name}' is too long; the limit is {limit:N0} keys and indexes.");

    /// <summary>Writes <paramref name="text"/> the way Erlang's <c>io_lib:write_string</c> does: <c>"a\"b"</c>.</summary>
    static string ErlangString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }
}
