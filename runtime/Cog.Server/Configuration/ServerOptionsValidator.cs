using System.Net;

namespace Cog.Server.Configuration;

/// <summary>Checks every setting at start-up and reports every problem at once, each naming the setting and how to set
/// it, so an operator fixes the configuration in one pass.</summary>
static class ServerOptionsValidator
{
    /// <summary>Every problem with <paramref name="options"/>; empty when they are usable.</summary>
    public static IReadOnlyList<string> Validate(ServerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            errors.Add(Error("Cog:DataDirectory", "must name a folder"));

        switch (options.Database.Provider)
        {
            case "sqlite":
                break;
            case "postgres":
                if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
                    errors.Add(Error("Cog:Database:ConnectionString", "is required with the postgres provider"));
                break;
            default:
                errors.Add(Error("Cog:Database:Provider", $"must be 'sqlite' or 'postgres', not '{options.Database.Provider}'"));
                break;
        }

        var broker = options.Broker;
        if (broker.Embedded)
        {
            if (broker.Port is < 0 or > 65535)
                errors.Add(Error("Cog:Broker:Port", $"must be between 0 and 65535, not {broker.Port}"));
            if (!IPAddress.TryParse(broker.BindAddress, out _))
                errors.Add(Error("Cog:Broker:BindAddress", $"must be an IP address, not '{broker.BindAddress}'"));
            if (broker.Tls.Certificate.Path is not null)
            {
                if (broker.Tls.Port is < 0 or > 65535)
                    errors.Add(Error("Cog:Broker:Tls:Port", $"must be between 0 and 65535, not {broker.Tls.Port}"));
                if (broker.Tls.BindAddress is { } tlsAddress && !IPAddress.TryParse(tlsAddress, out _))
                    errors.Add(Error("Cog:Broker:Tls:BindAddress", $"must be an IP address, not '{tlsAddress}'"));
            }
            ValidateCertificate("Cog:Broker:Tls:Certificate", broker.Tls.Certificate, errors);
            if (broker.DynamicSecurity.Enabled)
                errors.Add(Error("Cog:Broker:DynamicSecurity:Enabled", "needs an external Mosquitto (Cog:Broker:Embedded=false); the embedded broker checks relay tokens itself"));
        }
        else
        {
            if (!Uri.TryCreate(broker.Url, UriKind.Absolute, out var url) || url.Scheme is not ("mqtt" or "mqtts"))
                errors.Add(Error("Cog:Broker:Url", "must be mqtt://host[:port] or mqtts://host[:port] when the embedded broker is off"));
            if (string.IsNullOrWhiteSpace(broker.UserName))
                errors.Add(Error("Cog:Broker:UserName", "is required when the embedded broker is off"));
            if (string.IsNullOrEmpty(broker.Password) == string.IsNullOrEmpty(broker.PasswordFile))
                errors.Add(Error("Cog:Broker:Password", "or Cog:Broker:PasswordFile (exactly one) is required when the embedded broker is off"));
        }

        var urls = ApiUrls(options.Api);
        if (urls.Count == 0)
            errors.Add(Error("Cog:Api:Urls", "must list at least one http:// or https:// URL"));
        foreach (var url in options.Api.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                errors.Add(Error("Cog:Api:Urls", $"'{url}' is not an http:// or https:// URL"));
        }
        if (options.Api.PublicUrl is { } publicUrl && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var p) || p.Scheme is not ("http" or "https")))
            errors.Add(Error("Cog:Api:PublicUrl", $"'{publicUrl}' is not an http:// or https:// URL"));

        if (urls.Any(static u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) && options.Api.Certificate.Path is null)
            errors.Add(Error("Cog:Api:Certificate:Path", "is required for the https:// URLs of Cog:Api:Urls (a PEM certificate with Cog:Api:Certificate:KeyPath, or a .pfx file)"));
        ValidateCertificate("Cog:Api:Certificate", options.Api.Certificate, errors);
        ValidateNetworks("Cog:Api:TrustedProxies", options.Api.TrustedProxies, errors);

        var metrics = options.Metrics;
        if (!string.IsNullOrEmpty(metrics.Token) && !string.IsNullOrEmpty(metrics.TokenFile))
            errors.Add(Error("Cog:Metrics:Token", "and Cog:Metrics:TokenFile are both set: give the scrape token one way"));
        else if (metrics.TokenFile is { } tokenFile && !File.Exists(tokenFile))
            errors.Add(Error("Cog:Metrics:TokenFile", $"'{tokenFile}' does not exist"));
        ValidateNetworks("Cog:Metrics:AllowedNetworks", metrics.AllowedNetworks, errors);

        var signIn = options.Api.SignIn;
        if (signIn.MaxFailures < 1)
            errors.Add(Error("Cog:Api:SignIn:MaxFailures", $"must be at least 1, not {signIn.MaxFailures}"));
        if (signIn.MaxFailuresPerAddress < 1)
            errors.Add(Error("Cog:Api:SignIn:MaxFailuresPerAddress", $"must be at least 1, not {signIn.MaxFailuresPerAddress}"));
        if (signIn.MaxTracked < 1)
            errors.Add(Error("Cog:Api:SignIn:MaxTracked", $"must be at least 1, not {signIn.MaxTracked}"));
        if (signIn.Lockout <= TimeSpan.Zero)
            errors.Add(Error("Cog:Api:SignIn:Lockout", $"must be positive, not {signIn.Lockout}"));
        if (signIn.AddressWindow <= TimeSpan.Zero)
            errors.Add(Error("Cog:Api:SignIn:AddressWindow", $"must be positive, not {signIn.AddressWindow}"));
        if (signIn.MaxFailuresPerUser < 1)
            errors.Add(Error("Cog:Api:SignIn:MaxFailuresPerUser", $"must be at least 1, not {signIn.MaxFailuresPerUser}"));
        if (signIn.UserWindow <= TimeSpan.Zero)
            errors.Add(Error("Cog:Api:SignIn:UserWindow", $"must be positive, not {signIn.UserWindow}"));

        if (options.Pipeline.TimeoutSeconds is < 1 or > 86_400)
            errors.Add(Error("Cog:Pipeline:TimeoutSeconds", $"must be between 1 and 86400, not {options.Pipeline.TimeoutSeconds}"));
        if (options.Pipeline.CommandTimeoutSeconds is < 1 or > 86_400)
            errors.Add(Error("Cog:Pipeline:CommandTimeoutSeconds", $"must be between 1 and 86400, not {options.Pipeline.CommandTimeoutSeconds}"));
        if (options.InstanceName is not { Length: >= 1 and <= 63 } name
            || name.Any(static c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            errors.Add(Error("Cog:InstanceName", $"must be 1 to 63 letters, digits, '.', '_' and '-', not '{options.InstanceName}'"));
        if (options.Cluster.HeartbeatSeconds is < 1 or > 60)
            errors.Add(Error("Cog:Cluster:HeartbeatSeconds", $"must be between 1 and 60, not {options.Cluster.HeartbeatSeconds}"));
        else if (options.Cluster.InstanceTtlSeconds < 2 * options.Cluster.HeartbeatSeconds || options.Cluster.InstanceTtlSeconds > 600)
            errors.Add(Error("Cog:Cluster:InstanceTtlSeconds",
                $"must be between twice Cog:Cluster:HeartbeatSeconds ({2 * options.Cluster.HeartbeatSeconds}) and 600, not {options.Cluster.InstanceTtlSeconds}"));
        if (options.Audit.CheckpointIntervalSeconds is < 1 or > 3600)
            errors.Add(Error("Cog:Audit:CheckpointIntervalSeconds", $"must be between 1 and 3600, not {options.Audit.CheckpointIntervalSeconds}"));
        foreach (var previous in options.Audit.PreviousKeyFiles)
        {
            if (!File.Exists(previous))
                errors.Add(Error("Cog:Audit:PreviousKeyFiles", $"'{previous}' does not exist"));
        }

        var bootstrap = options.Bootstrap;
        string?[] fields = [bootstrap.Username, bootstrap.Password, bootstrap.EmailAddress, bootstrap.FirstName, bootstrap.LastName];
        if (!bootstrap.IsComplete && fields.Any(static f => !string.IsNullOrEmpty(f)))
            errors.Add(Error("Cog:Bootstrap", "needs all of Username, Password, EmailAddress, FirstName and LastName, or none"));

        var chat = options.Chat;
        if (string.IsNullOrWhiteSpace(chat.CommandPrefix))
            errors.Add(Error("Cog:Chat:CommandPrefix", "must not be empty"));
        if (string.IsNullOrWhiteSpace(chat.PreviousCommandToken))
            errors.Add(Error("Cog:Chat:PreviousCommandToken", "must not be empty"));
        ValidateSlack(options.Chat.Slack, errors);

        if (options.Bundles.CheckerExecutable is { } checker && !File.Exists(checker))
            errors.Add(Error("Cog:Bundles:CheckerExecutable", $"'{checker}' does not exist"));
        if (options.Bundles.CheckTimeoutSeconds is < 1 or > 3600)
            errors.Add(Error("Cog:Bundles:CheckTimeoutSeconds", "must be between 1 and 3600"));
        if (options.Bundles.CheckMemoryLimitMegabytes is < 64 or > 65536)
            errors.Add(Error("Cog:Bundles:CheckMemoryLimitMegabytes", "must be between 64 and 65536"));

        if (options.Dev.Bundles is { } dev && !Directory.Exists(dev))
            errors.Add(Error("Cog:Dev:Bundles", $"'{dev}' is not a folder"));
        if (options.Dev.RelayExecutable is { } relay && !File.Exists(relay))
            errors.Add(Error("Cog:Dev:RelayExecutable", $"'{relay}' does not exist"));
        if (!Cog.Contracts.Relays.Topics.IsValidRelayId(options.Dev.RelayId))
            errors.Add(Error("Cog:Dev:RelayId", $"'{options.Dev.RelayId}' is not a relay id (1 to 64 of a-z, 0-9, -)"));

        var telemetry = options.Telemetry;
        if (telemetry.OtlpEndpoint is { } otlp && (!Uri.TryCreate(otlp, UriKind.Absolute, out var o) || o.Scheme is not ("http" or "https")))
            errors.Add(Error("Cog:Telemetry:OtlpEndpoint", $"'{otlp}' is not an http:// or https:// URL"));
        if (telemetry.OtlpProtocol is not (TelemetryOptions.Grpc or TelemetryOptions.HttpProtobuf))
            errors.Add(Error("Cog:Telemetry:OtlpProtocol", $"must be '{TelemetryOptions.Grpc}' or '{TelemetryOptions.HttpProtobuf}', not '{telemetry.OtlpProtocol}'"));
        return errors;
    }

    /// <summary>With Slack enabled: each token given exactly once (value or file), with the right prefix when given as a
    /// value, its file present; an absolute http(s) API URL. The tokens themselves never appear in a message.</summary>
    static void ValidateSlack(SlackChatOptions slack, List<string> errors)
    {
        if (!slack.Enabled)
            return;
        Token("AppToken", slack.AppToken, slack.AppTokenFile, "xapp-", "the app-level token (xapp-...) that opens Socket Mode connections");
        Token("BotToken", slack.BotToken, slack.BotTokenFile, "xoxb-", "the bot token (xoxb-...)");
        if (!Uri.TryCreate(slack.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            errors.Add(Error("Cog:Chat:Slack:ApiUrl", $"'{slack.ApiUrl}' is not an http:// or https:// URL"));

        void Token(string name, string? value, string? file, string prefix, string what)
        {
            var setting = "Cog:Chat:Slack:" + name;
            if (string.IsNullOrWhiteSpace(value) == string.IsNullOrWhiteSpace(file))
                errors.Add(Error(setting, $"or {setting}File (exactly one) is required when Slack is enabled: {what}"));
            else if (!string.IsNullOrWhiteSpace(value) && !value.Trim().StartsWith(prefix, StringComparison.Ordinal))
                errors.Add(Error(setting, $"must start with '{prefix}' ({what})"));
            else if (!string.IsNullOrWhiteSpace(file) && !File.Exists(file))
                errors.Add(Error(setting + "File", $"'{file}' does not exist"));
        }
    }

    /// <summary>A certificate's files exist and load with a private key; nothing to check when no path is set.</summary>
    static void ValidateCertificate(string setting, CertificateOptions files, List<string> errors)
    {
        if (files.Path is null)
        {
            if (files.KeyPath is not null || files.PasswordFile is not null)
                errors.Add(Error(setting + ":Path", "is required when KeyPath or PasswordFile is set"));
            return;
        }
        var missing = false;
        foreach (var (name, file) in new[] { ("Path", files.Path), ("KeyPath", files.KeyPath), ("PasswordFile", files.PasswordFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                errors.Add(Error($"{setting}:{name}", $"'{file}' does not exist"));
                missing = true;
            }
        }
        if (!missing && Composition.ReloadingCertificate.Problem(files) is { } problem)
            errors.Add(Error(setting + ":Path", $"'{files.Path}' {problem}"));
    }

    static void ValidateNetworks(string setting, IEnumerable<string> networks, List<string> errors)
    {
        foreach (var network in networks)
        {
            if (!TryParseNetwork(network, out _))
                errors.Add(Error(setting, $"'{network}' is not an IP address or a network such as 10.0.0.0/8"));
        }
    }

    /// <summary>An IP address (a network of one) or a network in CIDR notation (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32);
            return true;
        }
        return IPNetwork.TryParse(text, out network);
    }

    /// <summary>The API's listening URLs.</summary>
    public static IReadOnlyList<string> ApiUrls(ApiOptions api) =>
        api.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static string Error(string setting, string problem) =>
        $"{setting} {problem}: set it in appsettings.json, as the environment variable {setting.Replace(":", "__", StringComparison.Ordinal)} or as the switch --{setting}=...";
}
