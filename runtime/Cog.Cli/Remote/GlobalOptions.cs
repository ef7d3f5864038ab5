using System.CommandLine;

namespace Cog.Cli.Remote;

/// <summary>The options every command accepts, before or after the command name (plus <c>--json</c>).
/// A command's own option with the same name (<c>audit list --user</c>, <c>bundle uninstall -c</c>) takes precedence.</summary>
sealed class GlobalOptions
{
    public Option<string?> ConfigFile { get; } = new("--config-file", "-c")
    {
        Description = "Path to an INI-formatted configuration file (default ~/.cogctl, or $COGCTL_CONFIG_FILE).",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile", "-p")
    {
        Description = "The profile within the config file to use (default: $COGCTL_DEFAULT_PROFILE, then the file's default).",
        Recursive = true,
    };

    public Option<string?> Url { get; } = new("--url", "-u") { Description = "Override the API URL root, e.g. 'https://127.0.0.1:4000'.", Recursive = true };

    public Option<string?> User { get; } = new("--user", "-U") { Description = "Override the account to authenticate against the API.", Recursive = true };

    public Option<string?> Password { get; } = new("--password", "-P") { Description = "Override the password to authenticate against the API.", Recursive = true };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = "Trust the certificate authority in this PEM file (instead of the system's) for an https:// server; overrides the profile's ca_file.",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Be verbose (requests are traced on standard error).", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the documented JSON instead of text (docs/cogctl.md).", Recursive = true };

    public void AddTo(Command root)
    {
        root.Add(ConfigFile);
        root.Add(Profile);
        root.Add(Url);
        root.Add(User);
        root.Add(Password);
        root.Add(CaFile);
        root.Add(Verbose);
        root.Add(Json);
    }
}
