using System.CommandLine;
using Cog.Cli.Output;
using Cog.Language.Pipelines;

namespace Cog.Cli.Offline;

/// <summary><c>cogctl pipeline parse [--json] TEXT</c>: shows how Cog reads a line of chat text.</summary>
static class PipelineCommands
{
    public static Command Create(TextWriter output, TextWriter error, Option<bool> json)
    {
        var text = new Argument<string[]>("TEXT")
        {
            Description = "The pipeline text; several words are joined with spaces. Put '--' first if it starts with '-'.",
            Arity = ArgumentArity.OneOrMore,
        };
        
        var parse = new Command("parse", "Parse pipeline text and show its stages, arguments and redirect.") { text };
        parse.SetAction(result => Parse(string.Join(' ', result.GetValue(text)!), result.GetValue(json), output, error));
        return new Command("pipeline", "Work with pipelines.") { parse };
    }

    internal static int Parse(string text, bool json, TextWriter output, TextWriter error)
    {
        var parsed = PipelineParser.Parse(text);
        if (!parsed.TryGetValue(out var pipeline))
        {
            if (json)
            {
                JsonOutput.WriteFailure(output, parsed.Error!);
            }
            else
            {
                SourceExcerpt.Write(error, text, parsed.Error!);
            }
            return ExitCodes.Failure;
        }
        if (json)
        {
            JsonOutput.Write(output, w => PipelineJson.Write(w, pipeline));
        }
        else
        {
            PipelineText.Write(output, pipeline);
        }
        return ExitCodes.Success;
    }
}
