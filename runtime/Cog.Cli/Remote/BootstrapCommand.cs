using System.CommandLine;
using Cog.Cli.Configuration;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl bootstrap [URL] [--status]</c>: creates the first administrator of a new server and writes a
/// profile for it, named after the URL's host (the first profile of a file becomes the default).</summary>
static class BootstrapCommand
{
    public const string DefaultUrl = "http://localhost:4000";

    public static Command Create(CliContext context)
    {
        var url = new Argument<string>("URL") { Description = "The server's API URL root.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultUrl };
        var status = new Option<bool>("--status") { Description = "Query the bootstrap status, instead of bootstrapping." };
        var command = new Command("bootstrap", "Bootstrap a Cog server: create the administrator and add a profile for it.") { url, status };
        context.SetLocalAction(command, (s, r, ct) => RunAsync(context, s, r.GetValue(url) ?? DefaultUrl, r.GetValue(status), ct));
        return command;
    }

    static async Task<int> RunAsync(CliContext context, Session session, string url, bool statusOnly, CancellationToken cancellationToken)
    {
        if (context.Anonymous(session, url) is not { } api)
        {
            return session.Usage(ConfigErrors.BadUrl(url));
        }
        if (statusOnly)
        {
            var status = await api.SendAsync(HttpMethod.Get, "/v1/bootstrap", null, "bootstrap", authenticate: false, cancellationToken);
            if (!status.Ok)
            {
                return session.Fail(status);
            }
            return session.Write(status.Content, () => Fields.Bool(status.Content, "bootstrap_status") ? "Status: bootstrapped\n" : "Status: Not bootstrapped\n");
        }
        // Load the configuration first: the password is shown only once, so it must have somewhere to go.
        var config = CogctlConfig.Load(session.ConfigPath, out var problem);
        if (config is null)
        {
            return session.Usage(problem!);
        }
        if (!session.Json)
        {
            session.Output.WriteLine("Bootstrapping the server");
        }
        var result = await api.SendAsync(HttpMethod.Post, "/v1/bootstrap", null, "bootstrap", authenticate: false, cancellationToken);
        if (!result.Ok)
        {
            return session.Fail(result);
        }
        var user = Fields.Str(result.Content, "username") ?? "";
        var password = Fields.Str(result.Content, "password") ?? "";
        var profile = new Uri(url).Host;
        if (session.Json)
        {
            session.WriteJson(result.Content);
        }
        else
        {
            session.Output.Write(Table.Rows(("Username:", user), ("Password:", password)));
        }
        config.Add(profile, url, user, password);
        if (config.Save() is { } failure)
        {
            return session.Usage(failure);
        }
        if (!session.Json)
        {
            session.Output.WriteLine($"Profile '{profile}' written to {session.ConfigPath}");
        }
        return ExitCodes.Success;
    }
}
