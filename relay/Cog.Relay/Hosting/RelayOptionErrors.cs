using System.Globalization;

namespace Cog.Relay.Hosting;

/// <summary>The relay's configuration errors (pinned by tests). Each names the setting and how to set it; none
/// contains the token.</summary>
static class RelayOptionErrors
{
    public const string ConfigNeedsFile = "--config needs a file name: --config FILE.";

    public static string Required(string what, RelaySetting setting) => $"{what} is required: set {setting.HowToSet}.";

    public static string InvalidId(string id) =>
        $"Relay id '{id}' is invalid: use 1 to 64 characters from a-z, 0-9 and '-' (set {RelaySetting.Id.HowToSet}).";

    public static string TokenRequired() =>
        $"Relay token is required: set {RelaySetting.TokenFile.HowToSet} (a file holding the token), or {RelaySetting.Token.HowToSet}.";

    public static string TokenTwice() =>
        $"Relay token is set twice: set either {RelaySetting.Token.HowToSet}, or {RelaySetting.TokenFile.HowToSet}, not both.";

    public static string TokenFileUnreadable(string path, string reason) =>
        $"Token file '{path}' cannot be read: {reason} (set {RelaySetting.TokenFile.HowToSet}).";

    public static string TokenFileEmpty(string path) => $"Token file '{path}' is empty (set {RelaySetting.TokenFile.HowToSet}).";

    public static string InvalidBroker(string value) =>
        $"Broker URL '{value}' is invalid: use mqtt://host:port, or mqtts://host:port for TLS (set {RelaySetting.Broker.HowToSet}).";

    public static string InvalidServer(string value) =>
        $"Server URL '{value}' is invalid: use http://host:port or https://host:port, the Cog server's base URL (set {RelaySetting.Server.HowToSet}).";

    public static string ServerRequired() =>
        $"Server URL is required (packages are downloaded from it): set {RelaySetting.Server.HowToSet}.";

    public static string CaCertificateMissing(string path) =>
        $"CA certificate file '{path}' does not exist (set {RelaySetting.CaCertificate.HowToSet}).";

    public static string CaCertificateWithoutTls() =>
        $"{RelaySetting.CaCertificate.Switch} applies to TLS only: use an mqtts:// broker URL or an https:// server URL, or remove it ({RelaySetting.CaCertificate.EnvironmentVariable}).";

    public static string TlsSettingWithoutTls(RelaySetting setting) =>
        $"{setting.Switch} applies to TLS only: use an mqtts:// broker URL, or remove it ({setting.EnvironmentVariable}).";

    public static string NotANumber(RelaySetting setting, string value) =>
        $"{Describe(setting)} must be a whole number, not '{value}': set {setting.HowToSet}.";

    public static string NotABoolean(RelaySetting setting, string value) =>
        $"{Describe(setting)} must be true or false, not '{value}': set {setting.HowToSet}.";

    public static string OutOfRange(RelaySetting setting, long value, long min, long max) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Describe(setting)} must be between {min} and {max}, not {value}: set {setting.HowToSet}.");

    public static string InvalidTag(string tag) =>
        $"Tag '{tag}' is invalid: use 1 to 64 characters without spaces or commas (set {RelaySetting.Tags.HowToSet}).";

    public static string DevFolderMissing(string path) => $"Dev folder '{path}' does not exist (set {RelaySetting.Dev.HowToSet}).";

    public static string CacheRequired() => Required("Cache folder", RelaySetting.Cache);

    public static string ConfigFileMissing(string path) => $"Configuration file '{path}' does not exist (--config FILE).";

    public static string ConfigFileInvalid(string path, string reason) => $"Configuration file '{path}' cannot be read: {reason}";

    public static string UnknownSwitch(string argument) =>
        $"Unknown switch '{argument}'. Known switches: --config, {string.Join(", ", RelaySetting.All.Select(s => s.Switch))}.";

    public static string SwitchNeedsValue(string name) => $"{name} needs a value: {name} VALUE.";

    public static string WritableNeedsBundle(string value) =>
        $"{RelaySetting.SandboxWritable.Switch} '{value}' names no bundle: use {RelaySetting.SandboxWritable.Switch} BUNDLE=FOLDER[,FOLDER...].";

    static string Describe(RelaySetting setting) => setting.Key switch
    {
        "concurrency" => "Concurrency",
        "keep_alive" => "Keep-alive (seconds)",
        "remembered_requests" => "Remembered requests",
        "shutdown_grace" => "Shutdown grace (seconds)",
        "allow_untrusted_certificates" => "Allow untrusted certificates",
        "worker_min_warm" => "Warm workers per bundle version",
        "worker_max" => "Workers per bundle version",
        "worker_invocations" => "Invocations per worker",
        "worker_kill_grace_ms" => "Worker kill grace (milliseconds)",
        "worker_memory_mb" => "Worker memory (MiB)",
        "sandbox:require" => "Sandbox require",
        "sandbox:first_user_id" => "Sandbox first user id",
        "sandbox:user_ids" => "Sandbox user ids",
        "sandbox:memory_mb" => "Sandbox memory (MiB)",
        "sandbox:cpu_seconds" => "Sandbox CPU time (seconds)",
        "sandbox:processes" => "Sandbox processes",
        "sandbox:open_files" => "Sandbox open files",
        "sandbox:container_cpus" => "Container CPUs",
        _ => setting.Key,
    };
}
