using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cog.Language.Pipelines;

/// <summary>Writes pipelines and arguments back as command-language text that parses to the same tree (spans aside).</summary>
/// <remarks>
/// <para>Quoted strings keep their quote kind, with <c>\"</c>, <c>\'</c> and <c>\\</c> escaped; an unquoted string is
/// written as is when it reads back as the same string, and in double quotes otherwise (empty, whitespace, quotes, a
/// leading <c>$ - = . [</c>, text that reads as a number, boolean, option or operator...). Interpolated strings are
/// written from their <see cref="InterpolatedArgument.RawText"/>, variables from their
/// <see cref="VariableExpression.Text"/>.</para>
/// <para>Trees the parser cannot produce have no exact text: a quoted string containing <c>${</c> (not preceded by a
/// backslash) reads back as an interpolation, and an option whose value is an option reads back as an error.</para>
/// </remarks>
public static class PipelinePrinter
{
    /// <summary>Writes a whole pipeline: stages joined by <c> | </c> or <c> &amp;&amp; </c>, arguments separated by one space, then the redirect.</summary>
    public static string Print(PipelineSyntax pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var builder = new StringBuilder();
        for (var i = 0; i < pipeline.Stages.Length; i++)
        {
            var stage = pipeline.Stages[i];
            if (i > 0)
            {
                builder.Append(stage.Join == StageJoin.And ? " && " : " | ");
            }
            builder.Append(stage.Command.ToString());
            foreach (var argument in stage.Arguments)
            {
                builder.Append(' ');
                Append(builder, argument);
            }
        }
        if (pipeline.Redirect is { } redirect)
        {
            builder.Append(redirect.IsMulti ? " *>" : " >");
            foreach (var target in redirect.Targets)
            {
                builder.Append(' ');
                AppendTarget(builder, target);
            }
        }
        return builder.ToString();
    }

    /// <summary>Writes one argument as it would appear in a stage.</summary>
    public static string Print(ArgumentSyntax argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var builder = new StringBuilder();
        Append(builder, argument);
        return builder.ToString();
    }

    /// <summary>The text between the quotes of an interpolated string made of <paramref name="parts"/>, as the printer would write it.</summary>
    /// <remarks>For building an <see cref="InterpolatedArgument"/> whose <see cref="InterpolatedArgument.RawText"/> matches its parts.</remarks>
    internal static string InterpolationBody(ImmutableArray<InterpolationPart> parts, QuoteKind quote)
    {
        var builder = new StringBuilder();
        var quoteChar = quote == QuoteKind.Single ? '\'' : '"';
        foreach (var part in parts)
        {
            switch (part)
            {
                case TextPart text:
                    AppendEscaped(builder, text.Text, quoteChar);
                    break;
                case VariablePart variable:
                    builder.Append("${").Append(variable.Variable.Text, 1, variable.Variable.Text.Length - 1).Append('}');
                    break;
                default:
                    throw new ArgumentException($"Unknown interpolation part {part.GetType().Name}.", nameof(parts));
            }
        }
        return builder.ToString();
    }

    static void Append(StringBuilder builder, ArgumentSyntax argument)
    {
        switch (argument)
        {
            case StringArgument text:
                AppendString(builder, text.Text, text.Quote);
                break;
            case IntegerArgument integer:
                builder.Append(integer.Number.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatArgument real:
                builder.Append(FormatFloat(real.Number));
                break;
            case BooleanArgument flag:
                builder.Append(flag.Flag ? "true" : "false");
                break;
            case VariableArgument variable:
                builder.Append(variable.Variable.Text);
                break;
            case InterpolatedArgument interpolated:
                var quote = interpolated.Quote == QuoteKind.Single ? '\'' : '"';
                builder.Append(quote).Append(interpolated.RawText).Append(quote);
                break;
            case OptionArgument option:
                AppendOption(builder, option);
                break;
            default:
                throw new ArgumentException($"Unknown argument {argument.GetType().Name}.", nameof(argument));
        }
    }

    static void AppendOption(StringBuilder builder, OptionArgument option)
    {
        var prefix = (option.IsLong ? "--" : "-") + option.Name;
        builder.Append(prefix);
        switch (option.Value)
        {
            case null:
                return;
            case StringArgument { Quote: QuoteKind.None } text
                when PipelineParser.ParseSingleArgument(prefix + "=" + text.Text) is OptionArgument { Value: StringArgument { Quote: QuoteKind.None } read }
                     && read.Text == text.Text:
                builder.Append('=').Append(text.Text);
                return;
            case StringArgument { Quote: QuoteKind.None } text:
                builder.Append('=');
                AppendQuoted(builder, text.Text, '"');
                return;
            case OptionArgument:
                builder.Append("= ");
                break;
            default:
                // A quoted value after `=` is a separate word, which the option takes as its value.
                builder.Append('=');
                break;
        }
        Append(builder, option.Value);
    }

    static void AppendString(StringBuilder builder, string text, QuoteKind quote)
    {
        switch (quote)
        {
            case QuoteKind.Single:
                AppendQuoted(builder, text, '\'');
                break;
            case QuoteKind.Double:
                AppendQuoted(builder, text, '"');
                break;
            default:
                if (PipelineParser.ParseSingleArgument(text) is StringArgument { Quote: QuoteKind.None } read && read.Text == text)
                {
                    builder.Append(text);
                }
                else
                {
                    AppendQuoted(builder, text, '"');
                }
                break;
        }
    }

    static void AppendTarget(StringBuilder builder, RedirectTarget target)
    {
        switch (target.Quote)
        {
            case QuoteKind.Single:
                AppendQuoted(builder, target.Text, '\'');
                break;
            case QuoteKind.Double:
                AppendQuoted(builder, target.Text, '"');
                break;
            default:
                if (IsBareTarget(target.Text))
                {
                    builder.Append(target.Text);
                }
                else
                {
                    AppendQuoted(builder, target.Text, '"');
                }
                break;
        }
    }

    static bool IsBareTarget(string text)
    {
        var tokens = new List<PipelineToken>(2);
        return PipelineLexer.Lex(text, tokens) is null
            && tokens.Count == 2
            && tokens[0].Kind == PipelineTokenKind.Text
            && tokens[0].Length == text.Length;
    }

    static void AppendQuoted(StringBuilder builder, string text, char quote)
    {
        builder.Append(quote);
        AppendEscaped(builder, text, quote);
        builder.Append(quote);
    }

    /// <summary>Escapes the quote and backslashes; a backslash just before <c>${</c> stays single, since <c>\$</c> keeps its backslash when read.</summary>
    static void AppendEscaped(StringBuilder builder, string text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                builder.Append('\\').Append(c);
            }
            else if (c == '\\')
            {
                builder.Append(text.AsSpan(i + 1).StartsWith("${", StringComparison.Ordinal) ? "\\" : "\\\\");
            }
            else
            {
                builder.Append(c);
            }
        }
    }

    /// <summary>Writes a finite double as <c>-?[0-9]+\.[0-9]+</c> with the shortest digits that read back as the same value.</summary>
    internal static string FormatFloat(double number)
    {
        if (!double.IsFinite(number))
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, "The command language has no literal for this number.");
        }
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        if (exponentAt < 0)
        {
            return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
        }
        var negative = text[0] == '-';
        var mantissa = text[(negative ? 1 : 0)..exponentAt];
        var exponent = int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var integerDigits = (point < 0 ? mantissa.Length : point) + exponent;
        var builder = new StringBuilder(digits.Length + Math.Abs(exponent) + 4);
        if (negative)
        {
            builder.Append('-');
        }
        if (integerDigits <= 0)
        {
            builder.Append("0.").Append('0', -integerDigits).Append(digits);
        }
        else if (integerDigits >= digits.Length)
        {
            builder.Append(digits).Append('0', integerDigits - digits.Length).Append(".0");
        }
        else
        {
            builder.Append(digits, 0, integerDigits).Append('.').Append(digits, integerDigits, digits.Length - integerDigits);
        }
        return builder.ToString();
    }
}
