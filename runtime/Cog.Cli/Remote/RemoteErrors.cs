namespace Cog.Cli.Remote;

/// <summary>Messages of the remote commands that cogctl itself produces (printed after <c>Error: </c>); the server's
/// messages are printed verbatim instead.</summary>
static class RemoteErrors
{
    public const string ConfirmNeedsYes = "this command asks for confirmation and there is no terminal to ask on; give --yes to go ahead";

    /// <summary>What click printed when a confirmation was declined.</summary>
    public const string Aborted = "Aborted!";

    public const string Confirm = "Are you sure? [y/N]: ";

    public const string RegistryUnsupported =
        "installing by bundle name from the Warehouse registry is not supported; give a bundle folder, a manifest file (config.yaml, config.json, '-' for standard input) or a package made by 'cogctl bundle package'";

    public const string VersionOnlyForRegistry = "a VERSION may only be given for bundles from the Warehouse registry, which is not supported";

    public static string FileNotFound(string path) => $"'{path}' does not exist or is not a readable file";

    public static string FileUnreadable(string path, string reason) => $"cannot read '{path}': {reason}";

    public static string TemplatesNotADirectory(string path) => $"the templates folder '{path}' does not exist";

    public const string TemplatesWithPackage = "--templates applies to a manifest; a package carries its templates inside (put them in the bundle folder)";

    public static string NotYaml(string what) => $"{what} is not a YAML or JSON map";

    /// <summary>The original's messages for bundle versions.</summary>
    public static string NoVersion(string version, string bundle) => $"No version {version} found for {bundle}";

    public const string UninstallEnabled = "Cannot uninstall enabled version. Please disable the bundle first";

    public static string UninstallAllEnabled(string bundle, string version) => $"{bundle} {version} is currently enabled. Please disable the bundle first.";

    public const string UninstallVersionAndFlag = "Do not give a version if using --incompatible, --all, --clean";

    public const string UninstallNothingChosen = "Can't uninstall without specifying a version, or --incompatible, --all, --clean";

    public const string LayerName = "Must specify layer as 'base', 'room/$NAME', or 'user/$NAME'";

    public static string LayerNotFound(string layer, string bundle) => $"Layer '{layer}' not found for bundle '{bundle}'";

    public const string InvalidYaml = "Invalid YAML";

    public static string NamesOrAll(string what) => $"You must provide either {what} names, or specify the '--all' option";

    public static string NamesAndAll(string what) => $"You cannot provide both {what} names and the '--all' option";

    public static string NotMembers(string what, string group, string names) => $"The following {what} are not {(what == "relays" ? "members of" : "assigned to")} the group '{group}': {names}";

    public const string NothingToUpdate = "You must specify a field to update.";

    public const string EnableAndDisable = "Trigger cannot be both enabled and disabled";

    public static string TriggerNotFound(string name) => $"Trigger \"{name}\" not found";

    public const string PasswordNeeded = "no password: give --password, or --password-stdin and the password on standard input";

    public const string EmailNeeded = "no email address: give --email";

    public const string PermissionMustBeSite = "Permissions must be created in the \"site\" bundle (e.g. site:deploy)";

    public static string InvalidPermission(string name) => $"Invalid permission name \"{name}\"";

    public static string ChatHandleNotFound(string user, string provider) => $"Chat Handle for User \"{user}\" and Chat Provider \"{provider}\" was not found";

    public static string BadTime(string option, string value) => $"{option} '{value}' is neither an ISO-8601 date or time nor a time ago (90s, 30m, 1h, 2d, 1w)";
}
