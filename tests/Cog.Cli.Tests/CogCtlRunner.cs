namespace Cog.Cli.Tests;

/// <summary>Runs cogctl in-process and captures what it prints.</summary>
static class CogCtlRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    public static Outcome Run(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = CogCtl.Run(args, output, error);
        return new Outcome(code, output.ToString(), error.ToString());
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
