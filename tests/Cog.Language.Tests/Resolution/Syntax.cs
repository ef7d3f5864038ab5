using System.Globalization;
using Cog.Language.Pipelines;

namespace Cog.Language.Tests.Resolution;

/// <summary>Parses pipeline text with the real parser, and prints arguments back for readable assertions.</summary>
static class Syntax
{
    public static PipelineSyntax Parse(string text)
    {
        var result = PipelineParser.Parse(text);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result.Value;
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
        VariableArgument v => v.Variable.Text,
        InterpolatedArgument i => $"\"{i.RawText}\"",
        OptionArgument o => (o.IsLong ? "--" : "-") + o.Name + (o.Value is null ? "" : "=" + Print(o.Value)),
        _ => argument.ToString()!,
    };
}
