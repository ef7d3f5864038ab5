using System.Globalization;
using System.Text;
using Cog.Language.Pipelines;

namespace Cog.Language.Tests.Pipelines;

/// <summary>A position-free projection of pipeline syntax trees, to compare trees while ignoring spans.</summary>
/// <remarks>The projection is a compact S-expression; equal projections mean equal trees apart from spans, and a failing assertion shows the difference readably.</remarks>
static class SyntaxShape
{
    public static string Of(PipelineSyntax pipeline)
    {
        var b = new StringBuilder("(pipeline");
        foreach (var stage in pipeline.Stages)
        {
            b.Append(" (stage ").Append(stage.Join).Append(' ');
            b.Append("(name ").Append(stage.Command.Bundle is null ? "-" : Str(stage.Command.Bundle)).Append(' ').Append(Str(stage.Command.Name)).Append(')');
            foreach (var argument in stage.Arguments)
            {
                b.Append(' ').Append(Of(argument));
            }
            b.Append(')');
        }
        if (pipeline.Redirect is { } redirect)
        {
            b.Append(redirect.IsMulti ? " (redirect*" : " (redirect");
            foreach (var target in redirect.Targets)
            {
                b.Append(" (target ").Append(target.Quote).Append(' ').Append(Str(target.Text)).Append(')');
            }
            b.Append(')');
        }
        return b.Append(')').ToString();
    }

    public static string Of(ArgumentSyntax argument) => argument switch
    {
        StringArgument s => $"(string {s.Quote} {Str(s.Text)})",
        IntegerArgument i => $"(int {i.Number.ToString(CultureInfo.InvariantCulture)})",
        FloatArgument f => $"(float {f.Number.ToString("R", CultureInfo.InvariantCulture)})",
        BooleanArgument b => b.Flag ? "(bool true)" : "(bool false)",
        VariableArgument v => Of(v.Variable),
        InterpolatedArgument p => $"(interp {p.Quote} {Str(p.RawText)}{string.Concat(p.Parts.Select(Of))})",
        OptionArgument o => $"(option {(o.IsLong ? "--" : "-")}{Str(o.Name)}{(o.Value is null ? "" : " " + Of(o.Value))})",
        _ => throw new ArgumentOutOfRangeException(nameof(argument)),
    };

    public static string Of(VariableExpression v) =>
        $"(var {Str(v.Name)} {Str(v.Text)}{string.Concat(v.Path.Select(a => a switch
        {
            KeyAccessor k => " (key " + Str(k.Key) + ")",
            IndexAccessor i => " (index " + i.Index.ToString(CultureInfo.InvariantCulture) + ")",
            _ => throw new ArgumentOutOfRangeException(nameof(v)),
        }))})";

    static string Of(InterpolationPart part) => part switch
    {
        TextPart t => " (text " + Str(t.Text) + ")",
        VariablePart v => " " + Of(v.Variable),
        _ => throw new ArgumentOutOfRangeException(nameof(part)),
    };

    static string Str(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return b.Append('"').ToString();
    }
}
