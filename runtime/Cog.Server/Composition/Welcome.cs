using System.Text;
using Cog.Server.Startup;

namespace Cog.Server.Composition;

/// <summary>What the server prints once it runs: where it is, and — on the start that created the administrator —
/// the credentials (shown this once; only their hash is stored) and the commands for a first pipeline, written the way
/// cogctl is run where this server came from.</summary>
static class Welcome
{
    /// <summary>How the operator runs cogctl, for a server in <paramref name="serverDirectory"/>: from a source
    /// checkout's build output (which <c>./build.sh run</c> starts in the checkout), <c>./build.sh cogctl</c>, which
    /// builds it first; from an install (the packages, a container), <c>cogctl</c>, the command on the PATH.</summary>
    internal static string Cogctl(string serverDirectory) =>
        BuildOutput.IsSourceCheckout(serverDirectory) ? "./build.sh cogctl" : "cogctl";

    public static string Text(CogServer server)
    {
        var cogctl = Cogctl(AppContext.BaseDirectory);
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
            text.AppendLine($"    {cogctl} profile create local {url} {admin.Username} '{admin.Password}'");
            text.AppendLine($"    {cogctl} pipeline run 'echo hello | echo $body[0]'");
        }
        else
        {
            text.AppendLine($"Run a pipeline: {cogctl} pipeline run 'echo hello | echo $body[0]'");
        }
        return text.ToString();
    }
}
