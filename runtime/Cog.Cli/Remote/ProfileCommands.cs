using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Configuration;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl profile</c>: list, create and choose the default server profile in the configuration file.</summary>
static class ProfileCommands
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The profile's name." };
        var url = new Argument<string>("URL") { Description = "The API URL root, e.g. http://localhost:4000." };
        var user = new Argument<string>("USER") { Description = "The user to log in as." };
        var password = new Argument<string>("PASSWORD") { Description = "That user's password." };
        var create = new Command("create", "Add (or replace) a profile in the configuration file.") { name, url, user, password };
        context.SetLocalAction(create, (s, r, _) => Task.FromResult(Add(s, r.GetValue(name)!, r.GetValue(url)!, r.GetValue(user)!, r.GetValue(password)!,
            r.GetValue(context.Globals.CaFile) is { } caFile ? Path.GetFullPath(caFile) : null)));

        var defaultName = new Argument<string>("NAME") { Description = "The profile to use when none is given." };
        var setDefault = new Command("default", "Make a profile the default.") { defaultName };
        context.SetLocalAction(setDefault, (s, r, _) => Task.FromResult(SetDefault(s, r.GetValue(defaultName)!)));

        var profile = new Command("profile", "Manage cogctl profiles (servers and credentials). Lists the profiles when called without a subcommand.")
        {
            create, setDefault,
        };
        context.SetLocalAction(profile, (s, _, _) => Task.FromResult(List(s)));
        return profile;
    }

    static int List(Session session)
    {
        var config = CogctlConfig.Load(session.ConfigPath, out var problem);
        if (config is null)
        {
            return session.Usage(problem!);
        }
        var profiles = new JsonArray();
        foreach (var name in config.ProfileNames())
        {
            var profile = config.Get(name)!;
            profiles.Add(new JsonObject { ["name"] = name, ["url"] = profile.Url, ["user"] = profile.User, ["default"] = profile.IsDefault });
            if (!session.Json)
            {
                session.Output.WriteLine(profile.IsDefault ? $"Profile: {name} (default)" : $"Profile: {name}");
                session.Output.WriteLine($"User: {profile.User}");
                session.Output.WriteLine($"URL: {profile.Url}");
                session.Output.WriteLine();
            }
        }
        return session.Json ? session.WriteJson(profiles) : ExitCodes.Success;
    }

    /// <summary>Adds the profile; with <c>--ca-file</c>, the profile keeps that certificate authority (<c>ca_file</c>).</summary>
    static int Add(Session session, string name, string url, string user, string password, string? caFile)
    {
        if (name.Length == 0 || name == "defaults" || name.IndexOfAny(['[', ']', '\n']) >= 0)
        {
            return session.Usage(ConfigErrors.ProfileUsage);
        }
        var config = CogctlConfig.Load(session.ConfigPath, out var problem);
        if (config is null)
        {
            return session.Usage(problem!);
        }
        config.Add(name, url, user, password, caFile);
        return config.Save() is { } failure ? session.Usage(failure) : ExitCodes.Success;
    }

    static int SetDefault(Session session, string name)
    {
        var config = CogctlConfig.Load(session.ConfigPath, out var problem);
        if (config is null)
        {
            return session.Usage(problem!);
        }
        if (!config.SetDefault(name))
        {
            return session.Usage(ConfigErrors.ProfileNotFound(name, session.ConfigPath));
        }
        return config.Save() is { } failure ? session.Usage(failure) : ExitCodes.Success;
    }
}
