using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Packaging;

/// <summary>
/// cogctl as a .NET tool: the <c>cogctl</c> package of this build (packed into the folder feed with the others, as
/// <c>./build.sh pack</c> does) installs with <c>dotnet tool install</c> into a tool path, and the installed command
/// runs: its help, and a pipeline against a running server.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(nameof(TemplateFeed))]
public sealed class CogctlToolTests(TemplateFeed feed)
{
    [Fact]
    public async Task The_cogctl_tool_installs_from_the_feed_and_runs_a_pipeline_against_a_server()
    {
        var tools = Path.Combine(feed.Root, "tools");

        var installed = await feed.DotnetAsync(feed.Root, "tool", "install", "cogctl", "--tool-path", tools,
            "--version", TemplateFeed.PackageVersion());
        Assert.True(installed.Code == 0, installed.Output);
        var cogctl = Path.Combine(tools, "cogctl");
        var help = await Programs.RunAsync(cogctl, ["--help"]);
        await using var server = await ServerEnvironment.StartAsync((options, _) => options.Database.Provider = "sqlite");
        // The server's cogctl home holds the administrator's default profile.
        var run = await Programs.RunAsync(cogctl, ["pipeline", "run", "echo hello from the tool"],
            new Dictionary<string, string?> { ["HOME"] = server.CliHome });

        Assert.True(help.Code == 0, help.Error);
        Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        Assert.Contains("pipeline", help.Output, StringComparison.Ordinal);
        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Output}{run.Error}");
        Assert.Contains("hello from the tool", run.Output, StringComparison.Ordinal);
    }
}
