using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>Turns one argument word into an <see cref="ArgumentSyntax"/> (docs/language.md L3 and L4).</summary>
/// <remarks>
/// Unquoted words go through Cog 1.0's argument lexer: longest match, the first rule winning ties, in the order
/// <c>=</c>, integer <c>-?[0-9]+</c>, float <c>-?[0-9]+\.[0-9]+</c>, <c>true</c>/<c>false</c>, short option
/// <c>-x</c>, long option <c>--name</c>, text (anything not starting with <c>-</c> or <c>=</c>, to the end of the word).
/// The word must then be one of: a value; an option; an option, <c>=</c> and a value; an option and <c>=</c> (its value
/// is the next argument). Text starting with <c>$</c> is a variable expression. Quoted words are always strings, with
/// <c>${...}</c> interpolation.
/// </remarks>
static class ArgumentParser
{
    enum Kind
    {
        Illegal,
        Equals,
        Integer,
        Float,
        Bool,
        ShortOption,
        LongOption,
        Text,
    }

    /// <summary>Parses an argument word.</summary>
    /// <param name="source">The whole pipeline text.</param>
    /// <param name="token">A <see cref="PipelineTokenKind.Text"/> or quoted token.</param>
    /// <param name="variables">The pipeline's variable references so far; the ones in this word are added.</param>
    /// <param name="takesNextArgument">Set for an option written with a trailing <c>=</c>, whose value is the next argument.</param>
    public static Result<ArgumentSyntax> Parse(string source, PipelineToken token, ref VariableCount variables, out bool takesNextArgument)
    {
        takesNextArgument = false;
        return token.Kind == PipelineTokenKind.Text
            ? ParseUnquoted(source, token, ref variables, out takesNextArgument)
            : ParseQuoted(source, token, ref variables);
    }

    static Result<ArgumentSyntax> ParseUnquoted(string source, PipelineToken token, ref VariableCount variables, out bool takesNextArgument)
    {
        takesNextArgument = false;
        var start = token.Start.Offset;
        var end = token.End;
        var (kind, length) = Next(source, start, end);
        switch (kind)
        {
            case Kind.Illegal:
                return Illegal(source, token, start, length);
            case Kind.Equals:
                return ErrorBefore(source, token, start);
            case Kind.ShortOption or Kind.LongOption:
                break;
            default:
                return start + length < end
                    ? ErrorBefore(source, token, start + length)
                    : Value(source, token, kind, start, length, ref variables);
        }
        var nameStart = start + (kind == Kind.ShortOption ? 1 : 2);
        var name = source[nameStart..(start + length)];
        var i = start + length;
        if (i == end)
        {
            return Result<ArgumentSyntax>.Success(new OptionArgument(name, kind == Kind.LongOption, null, token.Span));
        }
        if (source[i] != '=')
        {
            return ErrorBefore(source, token, i);
        }
        i++;
        if (i == end)
        {
            takesNextArgument = true;
            return Result<ArgumentSyntax>.Success(new OptionArgument(name, kind == Kind.LongOption, null, token.Span));
        }
        var (valueKind, valueLength) = Next(source, i, end);
        if (valueKind == Kind.Illegal)
        {
            return Illegal(source, token, i, valueLength);
        }
        if (valueKind is Kind.Equals or Kind.ShortOption or Kind.LongOption)
        {
            return ErrorBefore(source, token, i);
        }
        if (i + valueLength < end)
        {
            return ErrorBefore(source, token, i + valueLength);
        }
        var value = Value(source, token, valueKind, i, valueLength, ref variables);
        return value.Succeeded
            ? Result<ArgumentSyntax>.Success(new OptionArgument(name, kind == Kind.LongOption, value.Value, token.Span))
            : value;
    }

    /// <summary>The next token of Cog 1.0's argument lexer at <paramref name="index"/>; for an illegal one, the length of the characters to report.</summary>
    static (Kind Kind, int Length) Next(string s, int index, int end)
    {
        var c = s[index];
        if (c == '=')
        {
            return (Kind.Equals, 1);
        }
        if (c != '-')
        {
            // Text runs to the end of the word, so a typed literal wins only when it covers the whole rest (a tie).
            var rest = end - index;
            var digits = CountDigits(s, index, end);
            if (digits == rest)
            {
                return (Kind.Integer, rest);
            }
            if (digits > 0 && FloatLength(s, index, index + digits, end) == rest)
            {
                return (Kind.Float, rest);
            }
            var word = s.AsSpan(index, rest);
            return word is "true" or "false" ? (Kind.Bool, rest) : (Kind.Text, rest);
        }
        var best = (Kind: Kind.Illegal, Length: 0);
        var signedDigits = CountDigits(s, index + 1, end);
        if (signedDigits > 0)
        {
            best = (Kind.Integer, 1 + signedDigits);
            var floatLength = FloatLength(s, index, index + 1 + signedDigits, end);
            if (floatLength > best.Length)
            {
                best = (Kind.Float, floatLength);
            }
        }
        var next = index + 1 < end ? s[index + 1] : '\0';
        if (char.IsAsciiLetterOrDigit(next) && best.Length < 2)
        {
            best = (Kind.ShortOption, 2);
        }
        if (next == '-')
        {
            var i = index + 2;
            while (i < end && SourceWalk.IsNameChar(s[i]))
            {
                i++;
            }
            if (i > index + 2 && i - index > best.Length)
            {
                best = (Kind.LongOption, i - index);
            }
        }
        if (best.Kind == Kind.Illegal)
        {
            // Like leex: the characters read by the longest attempt, plus the one that stopped it.
            best.Length = Math.Min(next == '-' ? 3 : 2, end - index);
        }
        return best;
    }

    static int CountDigits(string s, int index, int end)
    {
        var i = index;
        while (i < end && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        return i - index;
    }

    /// <summary>The length of a float starting at <paramref name="start"/> whose integer digits end at <paramref name="point"/>; 0 when there is none.</summary>
    static int FloatLength(string s, int start, int point, int end)
    {
        if (point + 1 >= end || s[point] != '.')
        {
            return 0;
        }
        var fraction = CountDigits(s, point + 1, end);
        return fraction == 0 ? 0 : point + 1 + fraction - start;
    }

    static Result<ArgumentSyntax> Value(string source, PipelineToken token, Kind kind, int start, int length, ref VariableCount variables)
    {
        var span = new SourceSpan(PositionOf(source, token, start), length);
        var text = source.AsSpan(start, length);
        switch (kind)
        {
            case Kind.Integer:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    ? Result<ArgumentSyntax>.Success(new IntegerArgument(number, span))
                    : new LanguageError(PipelineErrors.IntegerOutOfRange(text.ToString()), span.Start);
            case Kind.Float:
                var real = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                return double.IsFinite(real)
                    ? Result<ArgumentSyntax>.Success(new FloatArgument(real, span))
                    : new LanguageError(PipelineErrors.FloatOutOfRange(text.ToString()), span.Start);
            case Kind.Bool:
                return Result<ArgumentSyntax>.Success(new BooleanArgument(text[0] == 't', span));
            default:
                if (text[0] != '$')
                {
                    return Result<ArgumentSyntax>.Success(new StringArgument(text.ToString(), QuoteKind.None, span));
                }
                if (variables.Add(span.Start) is { } tooMany)
                {
                    return tooMany;
                }
                var variable = VariableSyntaxParser.Scan(source, start, start + length, span.Start, interpolation: false, variables.MaxPathLength, out _);
                return variable.Succeeded ? Result<ArgumentSyntax>.Success(new VariableArgument(variable.Value, span)) : variable.Error;
        }
    }

    /// <summary>A syntax error before the argument-lexer token at <paramref name="index"/>, unless a later character is illegal (Cog 1.0 lexed the whole word first).</summary>
    static LanguageError ErrorBefore(string source, PipelineToken token, int index)
    {
        var end = token.End;
        var (_, length) = Next(source, index, end);
        for (var i = index; i < end;)
        {
            var (kind, next) = Next(source, i, end);
            if (kind == Kind.Illegal)
            {
                return Illegal(source, token, i, next);
            }
            i += next;
        }
        return new LanguageError(PipelineErrors.SyntaxErrorBefore(source.Substring(index, length)), PositionOf(source, token, index));
    }

    static LanguageError Illegal(string source, PipelineToken token, int index, int length)
    {
        // Keep a surrogate pair whole when the character that stopped the lexer is one.
        var last = index + length - 1;
        if (char.IsHighSurrogate(source[last]) && last + 1 < token.End && char.IsLowSurrogate(source[last + 1]))
        {
            length++;
        }
        return new(PipelineErrors.IllegalCharacters(source.Substring(index, length)), PositionOf(source, token, index));
    }

    static SourcePosition PositionOf(string source, PipelineToken token, int index) =>
        SourceWalk.Advance(source, token.Start.Offset, token.Start, index);

    /// <summary>A quoted word: a string, or an interpolated string when it contains <c>${...}</c>.</summary>
    static Result<ArgumentSyntax> ParseQuoted(string source, PipelineToken token, ref VariableCount variables)
    {
        var quote = token.Kind == PipelineTokenKind.DoubleQuoted ? QuoteKind.Double : QuoteKind.Single;
        var bodyStart = token.Start.Offset + 1;
        var bodyEnd = token.End - 1;
        var dollar = source.IndexOf("${", bodyStart, bodyEnd - bodyStart, StringComparison.Ordinal);
        if (dollar < 0)
        {
            return Result<ArgumentSyntax>.Success(new StringArgument(SourceWalk.Unescape(source, bodyStart, bodyEnd), quote, token.Span));
        }
        var parts = ImmutableArray.CreateBuilder<InterpolationPart>();
        var text = new StringBuilder();
        // Positions are computed by walking on from the previous one, so the whole string is walked once.
        var (walked, walkedTo) = (token.Start, token.Start.Offset);
        var i = bodyStart;
        while (i < bodyEnd)
        {
            var c = source[i];
            if (c == '\\' && i + 1 < bodyEnd)
            {
                // `\$` keeps its backslash, so `\${x}` stays literal text.
                var next = source[i + 1];
                if (next is not ('"' or '\'' or '\\'))
                {
                    text.Append(c);
                }
                text.Append(next);
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= bodyEnd || source[i + 1] != '{')
            {
                text.Append(c);
                i++;
                continue;
            }
            var position = SourceWalk.Advance(source, walkedTo, walked, i);
            (walked, walkedTo) = (position, i);
            if (source.IndexOf('}', i + 2, bodyEnd - i - 2) < 0)
            {
                return new LanguageError(PipelineErrors.MissingClosingBrace(source[i..bodyEnd]), position);
            }
            if (variables.Add(position) is { } tooMany)
            {
                return tooMany;
            }
            var variable = VariableSyntaxParser.Scan(source, i + 2, bodyEnd, SourceWalk.Advance(source, i, position, i + 2), interpolation: true,
                variables.MaxPathLength, out var stop);
            if (!variable.Succeeded)
            {
                return variable.Error;
            }
            if (stop >= bodyEnd)
            {
                return new LanguageError(PipelineErrors.MissingClosingBrace(source[i..bodyEnd]), position);
            }
            if (text.Length > 0)
            {
                parts.Add(new TextPart(text.ToString()));
                text.Clear();
            }
            parts.Add(new VariablePart(variable.Value));
            i = stop + 1;
        }
        if (parts.Count == 0)
        {
            return Result<ArgumentSyntax>.Success(new StringArgument(text.ToString(), quote, token.Span));
        }
        if (text.Length > 0)
        {
            parts.Add(new TextPart(text.ToString()));
        }
        return Result<ArgumentSyntax>.Success(new InterpolatedArgument(parts.ToImmutable(), quote, source[bodyStart..bodyEnd], token.Span));
    }
}
