using Cog.Language.Text;

namespace Cog.Language.Rules;

/// <summary>Turns rule text into tokens, by longest match like Cog's leex lexer.</summary>
static class RuleLexer
{
    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>, ending with an
    /// <see cref="RuleTokenKind.End"/> token; returns the error instead when a character starts no token.</summary>
    public static LanguageError? Tokenize(string text, List<RuleToken> tokens)
    {
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            RuleTokenKind kind;
            switch (c)
            {
                case '[': kind = RuleTokenKind.LeftBracket; i++; break;
                case ']': kind = RuleTokenKind.RightBracket; i++; break;
                case ')': kind = RuleTokenKind.RightParen; i++; break;
                case ',': kind = RuleTokenKind.Comma; i++; break;
                case '(':
                    i = DelimitedName(text, i, ')');
                    kind = i > start ? RuleTokenKind.Emoji : RuleTokenKind.LeftParen;
                    i = Math.Max(i, start + 1);
                    break;
                case ':':
                    i = DelimitedName(text, i, ':');
                    kind = i > start ? RuleTokenKind.Emoji : RuleTokenKind.Colon;
                    i = Math.Max(i, start + 1);
                    break;
                case '=':
                    if (i + 1 < n && text[i + 1] == '=')
                    {
                        kind = RuleTokenKind.Equal;
                    }
                    else if (i + 1 < n && text[i + 1] == '<')
                    {
                        kind = RuleTokenKind.LessOrEqual;
                    }
                    else
                    {
                        return Illegal(text, start, start + 1);
                    }
                    i += 2;
                    break;
                case '!':
                    if (i + 1 < n && text[i + 1] == '=')
                    {
                        kind = RuleTokenKind.NotEqual;
                        i += 2;
                        break;
                    }
                    return Illegal(text, start, start + 1);
                case '<':
                    // R2: "<=" is accepted as well as Cog's "=<".
                    (kind, i) = i + 1 < n && text[i + 1] == '=' ? (RuleTokenKind.LessOrEqual, i + 2) : (RuleTokenKind.Less, i + 1);
                    break;
                case '>':
                    (kind, i) = i + 1 < n && text[i + 1] == '=' ? (RuleTokenKind.GreaterOrEqual, i + 2) : (RuleTokenKind.Greater, i + 1);
                    break;
                case '"':
                case '\'':
                case '/':
                    i = Delimited(text, i, c);
                    if (i < 0)
                    {
                        return Illegal(text, start, n - 1);
                    }
                    kind = c switch
                    {
                        '"' => RuleTokenKind.DoubleQuoted,
                        '\'' => RuleTokenKind.SingleQuoted,
                        _ => RuleTokenKind.Regex,
                    };
                    tokens.Add(new RuleToken(kind, start, i - start, text.Substring(start + 1, i - start - 2)));
                    continue;
                default:
                    if (!IsWordChar(c))
                    {
                        return Illegal(text, start, char.IsHighSurrogate(c) && i + 1 < n ? start + 1 : start);
                    }
                    (kind, i) = Word(text, i);
                    break;
            }
            tokens.Add(new RuleToken(kind, start, i - start, text[start..i]));
        }
        tokens.Add(new RuleToken(RuleTokenKind.End, n, 0, ""));
        return null;
    }

    static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    static bool IsDigit(char c) => c is >= '0' and <= '9';

    static bool IsWordChar(char c) => IsLetter(c) || IsDigit(c) || c is '_' or '-';

    /// <summary>Scans <c>open name close</c> (an emoji) at <paramref name="i"/>; returns the end, or -1 when there is none.</summary>
    static int DelimitedName(string text, int i, char close)
    {
        var j = i + 1;
        if (j >= text.Length || !IsLetter(text[j]))
        {
            return -1;
        }
        while (j < text.Length && IsWordChar(text[j]))
        {
            j++;
        }
        return j < text.Length && text[j] == close ? j + 1 : -1;
    }

    /// <summary>Scans a string or regex delimited by <paramref name="quote"/> in which a backslash escapes the next
    /// character; returns the end, or -1 when the closing delimiter is missing.</summary>
    static int Delimited(string text, int i, char quote)
    {
        var j = i + 1;
        while (j < text.Length)
        {
            var c = text[j];
            if (c == quote)
            {
                return j + 1;
            }
            j += c == '\\' ? 2 : 1;
        }
        return -1;
    }

    /// <summary>Scans a run of <c>[a-zA-Z0-9_-]</c> (and a float or <c>arg[N]</c>) and classifies it.</summary>
    static (RuleTokenKind Kind, int End) Word(string text, int start)
    {
        var n = text.Length;
        var end = start;
        var allDigits = true;
        while (end < n && IsWordChar(text[end]))
        {
            allDigits &= IsDigit(text[end]);
            end++;
        }
        var first = text[start];
        if (IsDigit(first))
        {
            // FLOAT is digits "." digits; it wins when it is the longest match.
            var digits = start;
            while (digits < n && IsDigit(text[digits]))
            {
                digits++;
            }
            if (digits + 1 < n && text[digits] == '.' && IsDigit(text[digits + 1]))
            {
                var fraction = digits + 1;
                while (fraction < n && IsDigit(text[fraction]))
                {
                    fraction++;
                }
                if (fraction > end)
                {
                    return (RuleTokenKind.Float, fraction);
                }
            }
            return (allDigits ? RuleTokenKind.Integer : RuleTokenKind.BareString, end);
        }
        if (!IsLetter(first))
        {
            return (RuleTokenKind.BareString, end);
        }
        var word = text.AsSpan(start, end - start);
        if (word is "arg" && end < n && text[end] == '[')
        {
            var close = end + 1;
            while (close < n && IsDigit(text[close]))
            {
                close++;
            }
            if (close > end + 1 && close < n && text[close] == ']')
            {
                return (RuleTokenKind.ArgIndex, close + 1);
            }
        }
        var kind = word switch
        {
            "when" => RuleTokenKind.When,
            "with" => RuleTokenKind.With,
            "must" => RuleTokenKind.Must,
            "have" => RuleTokenKind.Have,
            "command" => RuleTokenKind.Command,
            "is" => RuleTokenKind.Is,
            "allow" => RuleTokenKind.Allow,
            "any" => RuleTokenKind.Any,
            "all" => RuleTokenKind.All,
            "in" => RuleTokenKind.In,
            "and" => RuleTokenKind.And,
            "or" => RuleTokenKind.Or,
            "not" => RuleTokenKind.Not,
            "true" => RuleTokenKind.True,
            "false" => RuleTokenKind.False,
            "arg" or "args" => RuleTokenKind.Arg,
            "option" or "options" => RuleTokenKind.Option,
            _ => RuleTokenKind.Name,
        };
        return (kind, end);
    }

    /// <summary>The error for characters that start no token: like leex, it shows the characters read up to and
    /// including the one the lexer got stuck on.</summary>
    static LanguageError Illegal(string text, int start, int stuck)
    {
        var last = Math.Min(stuck, text.Length - 1);
        return new LanguageError(RuleErrors.IllegalCharacters(text[start..(last + 1)]), SourcePosition.At(text, start));
    }
}
