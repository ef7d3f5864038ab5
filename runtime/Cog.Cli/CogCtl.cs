using System.CommandLine;
using Cog.Cli.Offline;

namespace Cog.Cli;

/// <summary>The cogctl command tree. <see cref="Run"/> is the whole program, so tests call it in-process.</summary>
static class CogCtl
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("cogctl: administer Cog and check bundles, pipelines and rules offline.")
        {
            PipelineCommands.Create(output, error),
            RuleCommands.Create(output, error),
            BundleCommands.Create(output, error),
        };

        // '@' starts chat targets (`> @alice`), not response files.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }
            error.WriteLine("Run 'cogctl --help' for usage.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
