using System.CommandLine;

namespace Cog.Cli.Offline;

/// <summary>Options shared by many commands, created fresh for each (an option belongs to one command).</summary>
static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print the documented JSON shape instead of text (docs/cogctl.md)." };
}
