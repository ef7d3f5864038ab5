using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Cog.Cli.Api;
using Cog.Cli.Configuration;

namespace Cog.Cli.Remote;

/// <summary>What every command of one cogctl run shares: the environment, the global options and one HttpClient.
/// Commands get a <see cref="Session"/> for their action through <see cref="SetRemoteAction"/> or
/// <see cref="SetLocalAction"/>.</summary>
sealed class CliContext(CogCtlEnvironment environment, GlobalOptions globals) : IDisposable
{
    HttpClient? _http;

    public CogCtlEnvironment Environment { get; } = environment;

    public GlobalOptions Globals { get; } = globals;

    /// <summary>The one client of this run, trusting <paramref name="authorities"/> (see <see cref="ServerTrust"/>).</summary>
    HttpClient Http(X509Certificate2Collection? authorities) => _http ??= ServerTrust.CreateClient(Environment.HttpTimeout, authorities);

    /// <summary>The configuration file: --config-file, else $COGCTL_CONFIG_FILE, else ~/.cogctl (~ expanded).</summary>
    public string ConfigPath(ParseResult parse)
    {
        var path = parse.GetValue(Globals.ConfigFile) ?? Environment.GetEnvironmentVariable("COGCTL_CONFIG_FILE");
        if (string.IsNullOrEmpty(path))
        {
            return Path.Combine(Environment.HomeDirectory, ".cogctl");
        }
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.HomeDirectory, path.Length > 2 ? path[2..] : "");
        }
        return Path.GetFullPath(path);
    }

    /// <summary>Runs <paramref name="body"/> with a session connected to the server of the chosen profile.</summary>
    public void SetRemoteAction(Command command, Func<Session, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var session = CreateSession(parse);
            var problem = Connect(session, parse, out var exitCode);
            if (problem is not null)
            {
                return session.Fail(problem, exitCode);
            }
            return await body(session, parse, cancellationToken);
        });

    /// <summary>Runs <paramref name="body"/> with a session that has no server yet (profiles, bootstrap).</summary>
    public void SetLocalAction(Command command, Func<Session, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) =>
        {
            var session = CreateSession(parse);
            if (parse.GetValue(Globals.CaFile) is { } caFile)
            {
                session.Authorities = ServerTrust.Load(caFile, out var problem);
                if (problem is not null)
                {
                    return Task.FromResult(session.Usage(problem));
                }
            }
            return body(session, parse, cancellationToken);
        });

    /// <summary>A client for <paramref name="url"/> without credentials (bootstrap), or null when the URL is not http(s).</summary>
    public ApiClient? Anonymous(Session session, string url) =>
        TryUrl(url, out var uri) ? new ApiClient(Http(session.Authorities), uri, null, null, session.Verbose ? session.Error : null) : null;

    Session CreateSession(ParseResult parse) => new(Environment, parse.GetValue(Globals.Json), parse.GetValue(Globals.Verbose), ConfigPath(parse));

    string? Connect(Session session, ParseResult parse, out int exitCode)
    {
        exitCode = ExitCodes.Usage;
        var config = CogctlConfig.Load(session.ConfigPath, out var problem);
        if (config is null)
        {
            return problem;
        }
        Profile? profile = null;
        var profileName = parse.GetValue(Globals.Profile) ?? Environment.GetEnvironmentVariable("COGCTL_DEFAULT_PROFILE");
        if (!string.IsNullOrEmpty(profileName))
        {
            profile = config.Get(profileName);
            if (profile is null)
            {
                return ConfigErrors.ProfileNotFound(profileName, session.ConfigPath);
            }
        }
        else if (config.DefaultProfileName is { } name)
        {
            profile = config.Get(name);
        }
        var url = parse.GetValue(Globals.Url) ?? profile?.Url;
        var user = parse.GetValue(Globals.User) ?? profile?.User;
        var password = parse.GetValue(Globals.Password) ?? profile?.Password;
        if (string.IsNullOrEmpty(url))
        {
            return ConfigErrors.NoServer(session.ConfigPath);
        }
        if (!TryUrl(url, out var uri))
        {
            return ConfigErrors.BadUrl(url);
        }
        if (string.IsNullOrEmpty(user) || password is null)
        {
            return ConfigErrors.NoCredentials;
        }
        X509Certificate2Collection? authorities = null;
        if ((parse.GetValue(Globals.CaFile) ?? profile?.CaFile) is { } caFile)
        {
            authorities = ServerTrust.Load(caFile, out var unreadable);
            if (unreadable is not null)
            {
                return unreadable;
            }
        }
        session.Api = new ApiClient(Http(authorities), uri, user, password, session.Verbose ? session.Error : null);
        return null;
    }

    static bool TryUrl(string url, out Uri uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public void Dispose() => _http?.Dispose();
}
