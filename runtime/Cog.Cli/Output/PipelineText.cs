using System.Globalization;
using Cog.Language.Pipelines;

namespace Cog.Cli.Output;

/// <summary>The human-readable form of a parsed pipeline: one line per stage, one indented line per argument.</summary>
static class PipelineText
{
    /// <summary>Writes the pipeline's structure.</summary>
    public static void Write(TextWriter output, PipelineSyntax pipeline)
    {
        for (var i = 0; i < pipeline.Stages.Length; i++)
        {
            var stage = pipeline.Stages[i];
            var join = stage.Join switch { StageJoin.Pipe => " (after |)", StageJoin.And => " (after &&)", _ => "" };
            output.WriteLine($"stage {i + 1}: {stage.Command}{join}");
            foreach (var argument in stage.Arguments)
            {
                output.WriteLine($"  {Describe(argument)}");
            }
        }
        if (pipeline.Redirect is { } redirect)
        {
            var targets = string.Join(", ", redirect.Targets.Select(t => t.Text));
            output.WriteLine($"redirect {(redirect.IsMulti ? "*>" : ">")} {targets}");
        }
    }

    static string Describe(ArgumentSyntax argument) => argument switch
    {
        StringArgument s => s.Quote == QuoteKind.None ? $"string {Quote(s.Text)}" : $"string {Quote(s.Text)} (quoted)",
        IntegerArgument i => $"int {i.Number.ToString(CultureInfo.InvariantCulture)}",
        FloatArgument f => $"float {f.Number.ToString("R", CultureInfo.InvariantCulture)}",
        BooleanArgument b => $"bool {(b.Flag ? "true" : "false")}",
        VariableArgument v => $"variable {v.Variable.Text}",
        InterpolatedArgument t => $"interpolated {Quote(t.RawText)}",
        OptionArgument o => $"option {(o.IsLong ? "--" : "-")}{o.Name}{(o.Value is null ? "" : " = " + Describe(o.Value))}",
        _ => argument.GetType().Name,
    };

    static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
