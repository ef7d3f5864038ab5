namespace Cog.Cli.Configuration;

/// <summary>Messages about the configuration file and profiles (printed after <c>Error: </c>).</summary>
static class ConfigErrors
{
    /// <summary>The file exists but cannot be used (the original's wording, plus the reason).</summary>
    public static string NotValid(string path, string reason) => $"The given configuration file '{path}' is not valid: {reason}";

    public static string LineNotIni(int line) => $"line {line} is neither a [section], a key = value line nor a comment";

    public const string NoDefaults = "it has no [defaults] section naming the default profile";

    public static string DefaultMissing(string name) => $"the default profile '{name}' has no section";

    public static string Unreadable(string path, string reason) => $"cannot read the configuration file '{path}': {reason}";

    public static string Unwritable(string path, string reason) => $"cannot write the configuration file '{path}': {reason}";

    /// <summary>The original's message for an unknown <c>--profile</c>.</summary>
    public static string ProfileNotFound(string profile, string path) => $"Profile '{profile}' was not found in configuration file '{path}'";

    public static string NoServer(string path) =>
        $"no Cog server to talk to: give --url, or create a profile in '{path}' (cogctl profile create NAME URL USER PASSWORD, or cogctl bootstrap URL)";

    public const string NoCredentials = "no credentials: give --user and --password, or use a profile that has them";

    public static string BadUrl(string url) => $"'{url}' is not an http:// or https:// URL";

    public const string ProfileUsage = "a profile name may not be empty, 'defaults', or contain '[' or ']'";
}
