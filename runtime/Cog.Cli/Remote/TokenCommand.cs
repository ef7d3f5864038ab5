using System.CommandLine;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl token</c>: prints a fresh API token for the profile's user.</summary>
static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("token", "Generate a Cog API token (other commands get their own).");
        context.SetRemoteAction(command, async (s, _, ct) =>
        {
            var result = await s.Api.LoginAsync(ct);
            return result.Ok ? s.Write(result.Content, () => (Fields.Str(result.Content, "value") ?? "") + "\n") : s.Fail(result);
        });
        return command;
    }
}
