using System.Collections.Immutable;
using System.Globalization;
using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Tests.Resolution;

/// <summary>
/// Builds pipeline ASTs from simple text for the resolution tests: tokens split on spaces; <c>|</c>, <c>&amp;&amp;</c>,
/// <c>&gt;</c>, <c>*&gt;</c>; <c>bundle:name</c>; options, integers, floats, booleans, <c>"quoted words"</c>
/// (no spaces inside). Spans are exact, so error positions can be checked.
/// </summary>
static class Syntax
{
    public static PipelineSyntax Parse(string text)
    {
        var stages = ImmutableArray.CreateBuilder<StageSyntax>();
        RedirectSyntax? redirect = null;
        var join = StageJoin.None;
        CommandNameSyntax? command = null;
        var arguments = ImmutableArray.CreateBuilder<ArgumentSyntax>();
        int stageStart = 0, stageEnd = 0;
        var offset = 0;
        foreach (var token in text.Split(' '))
        {
            var span = new SourceSpan(SourcePosition.At(text, offset), token.Length);
            offset += token.Length + 1;
            if (token.Length == 0)
            {
                continue;
            }
            if (token is "|" or "&&")
            {
                EndStage();
                join = token == "|" ? StageJoin.Pipe : StageJoin.And;
            }
            else if (token is ">" or "*>")
            {
                redirect = new RedirectSyntax(token == "*>", [], span);
            }
            else if (redirect is not null)
            {
                redirect = redirect with { Targets = redirect.Targets.Add(new RedirectTarget(token, QuoteKind.None, span)) };
            }
            else if (command is null)
            {
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                command = colon > 0
                    ? new CommandNameSyntax(token[..colon], token[(colon + 1)..], span)
                    : new CommandNameSyntax(null, token, span);
                stageStart = span.Start.Offset;
                stageEnd = span.End;
            }
            else
            {
                arguments.Add(Argument(token, span));
                stageEnd = span.End;
            }
        }
        EndStage();
        return new PipelineSyntax(stages.ToImmutable(), redirect, new SourceSpan(SourcePosition.Start, text.Length));

        void EndStage()
        {
            var length = stageEnd - stageStart;
            stages.Add(new StageSyntax(join, command!, arguments.ToImmutable(), new SourceSpan(SourcePosition.At(text, stageStart), length)));
            command = null;
            arguments.Clear();
        }
    }

    static ArgumentSyntax Argument(string token, SourceSpan span)
    {
        if (token.StartsWith('-') && token.Length > 1 && !char.IsAsciiDigit(token[1]))
        {
            var isLong = token.StartsWith("--", StringComparison.Ordinal);
            var body = token[(isLong ? 2 : 1)..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            return equals < 0
                ? new OptionArgument(body, isLong, null, span)
                : new OptionArgument(body[..equals], isLong, Argument(body[(equals + 1)..], span), span);
        }
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new IntegerArgument(integer, span);
        }
        if (token.Contains('.', StringComparison.Ordinal)
            && double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return new FloatArgument(number, span);
        }
        if (token is "true" or "false")
        {
            return new BooleanArgument(token == "true", span);
        }
        if (token.Length >= 2 && token[0] is '"' or '\'' && token[^1] == token[0])
        {
            return new StringArgument(token[1..^1], token[0] == '"' ? QuoteKind.Double : QuoteKind.Single, span);
        }
        return new StringArgument(token, QuoteKind.None, span);
    }

    /// <summary>The arguments printed back: words as written (quoted ones with double quotes), options as <c>--n=v</c>.</summary>
    public static string Print(IEnumerable<ArgumentSyntax> arguments) => string.Join(' ', arguments.Select(Print));

    static string Print(ArgumentSyntax argument) => argument switch
    {
        StringArgument { Quote: QuoteKind.None } s => s.Text,
        StringArgument s => $"\"{s.Text}\"",
        IntegerArgument i => i.Number.ToString(CultureInfo.InvariantCulture),
        FloatArgument f => f.Number.ToString(CultureInfo.InvariantCulture),
        BooleanArgument b => b.Flag ? "true" : "false",
        OptionArgument o => (o.IsLong ? "--" : "-") + o.Name + (o.Value is null ? "" : "=" + Print(o.Value)),
        _ => argument.ToString()!,
    };
}
