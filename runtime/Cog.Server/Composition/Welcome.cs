using System.Text;

namespace Cog.Server.Composition;

/// <summary>What the server prints once it runs: where it is, and — on the start that created the administrator —
/// the credentials (shown this once; only their hash is stored) and the commands for a first pipeline.</summary>
static class Welcome
{
    public static string Text(CogServer server)
    {
        var url = server.ApiUrl.ToString().TrimEnd('/');
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"Cog {CogServer.Version} is running: REST API {url}");
        if (server.Options.Chat.Web.Enabled)
            text.AppendLine($"Web console: {url}/ (sign in with a Cog user)");
        if (server.DevRelay is not null)
            text.AppendLine($"Dev mode: the local relay '{server.Options.Dev.RelayId}' serves {Path.GetFullPath(server.Options.Dev.Bundles!)}");
        if (server.CreatedAdmin is { } admin)
        {
            text.AppendLine();
            text.AppendLine("An administrator was created. Its password is shown only this once:");
            text.AppendLine($"    user:     {admin.Username}");
            text.AppendLine($"    password: {admin.Password}");
            text.AppendLine();
            text.AppendLine("Open the web console and sign in with them, or log in with cogctl (it keeps the profile in ~/.cogctl) and run a first pipeline:");
            text.AppendLine($"    ./build.sh cogctl profile create local {url} {admin.Username} '{admin.Password}'");
            text.AppendLine("    ./build.sh cogctl pipeline run 'echo hello | echo $body[0]'");
        }
        else
        {
            text.AppendLine("Run a pipeline: ./build.sh cogctl pipeline run 'echo hello | echo $body[0]'");
        }
        return text.ToString();
    }
}
