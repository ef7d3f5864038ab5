using System.Text.Json;
using Cog.Language.Pipelines;

namespace Cog.Cli.Output;

/// <summary>The <c>cogctl pipeline parse --json</c> shape (docs/cogctl.md). Stable: scripts depend on it.</summary>
static class PipelineJson
{
    /// <summary>Writes <c>{"ok":true,"stages":[...],"redirect":...}</c>.</summary>
    public static void Write(Utf8JsonWriter w, PipelineSyntax pipeline)
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", true);
        w.WriteStartArray("stages");
        foreach (var stage in pipeline.Stages)
        {
            w.WriteStartObject();
            w.WriteString("bundle", stage.Command.Bundle);
            w.WriteString("command", stage.Command.Name);
            w.WriteStartArray("args");
            foreach (var argument in stage.Arguments)
            {
                WriteArgument(w, argument);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (pipeline.Redirect is { } redirect)
        {
            w.WriteStartObject("redirect");
            w.WriteBoolean("multi", redirect.IsMulti);
            w.WriteStartArray("targets");
            foreach (var target in redirect.Targets)
            {
                w.WriteStringValue(target.Text);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("redirect");
        }
        w.WriteEndObject();
    }

    static void WriteArgument(Utf8JsonWriter w, ArgumentSyntax argument)
    {
        w.WriteStartObject();
        switch (argument)
        {
            case StringArgument s:
                w.WriteString("type", "string");
                w.WriteString("value", s.Text);
                w.WriteBoolean("quoted", s.Quote != QuoteKind.None);
                break;
            case IntegerArgument i:
                w.WriteString("type", "int");
                w.WriteNumber("value", i.Number);
                break;
            case FloatArgument f:
                w.WriteString("type", "float");
                w.WriteNumber("value", f.Number);
                break;
            case BooleanArgument b:
                w.WriteString("type", "bool");
                w.WriteBoolean("value", b.Flag);
                break;
            case VariableArgument v:
                w.WriteString("type", "variable");
                w.WriteString("value", v.Variable.Text);
                break;
            case InterpolatedArgument t:
                w.WriteString("type", "interpolated");
                w.WriteString("value", t.RawText);
                break;
            case OptionArgument o:
                w.WriteString("type", "option");
                w.WriteString("name", o.Name);
                w.WriteBoolean("long", o.IsLong);
                if (o.Value is null)
                {
                    w.WriteNull("value");
                }
                else
                {
                    w.WritePropertyName("value");
                    WriteArgument(w, o.Value);
                }
                break;
            default:
                throw new InvalidOperationException($"Unknown argument syntax {argument.GetType().Name}.");
        }
        w.WriteEndObject();
    }
}
