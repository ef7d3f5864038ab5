using System.CommandLine;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl version</c>: prints cogctl's version.</summary>
static class VersionCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Display version and build information.");
        context.SetLocalAction(command, (s, _, _) =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            return Task.FromResult(s.Write(new JsonObject { ["version"] = version }, () => $"cogctl {version}\n"));
        });
        return command;
    }
}
