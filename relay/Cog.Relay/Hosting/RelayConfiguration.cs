using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Microsoft.Extensions.Configuration;

namespace Cog.Relay.Hosting;

/// <summary>
/// Reads the relay's settings from, in increasing precedence: <c>appsettings.json</c> (beside the executable,
/// optional; or the file given with <c>--config FILE</c> or <c>COG_RELAY_CONFIG</c>, required then), environment
/// variables (<c>COG_RELAY_*</c>, nested keys with <c>__</c>), and switches (<see cref="RelaySetting"/>, and
/// <c>--Logging:KEY=VALUE</c> for the console log).
/// </summary>
/// <remarks>Two steps, as the Generic Host's options pipeline runs them: <see cref="Open"/> gathers the sources into one
/// configuration (Program hands it to the host: the <c>Logging</c> section configures the console log), and
/// <see cref="Bind"/> converts it into <see cref="RelayOptions"/>, keeping every setting it could not read in
/// <see cref="RelayOptions.ReadErrors"/>; <see cref="RelayOptionsValidation"/> then reports those with the rules'
/// own: every error at once. Nothing here throws for bad input.</remarks>
static class RelayConfiguration
{
    /// <summary>The configuration file read when none is named.</summary>
    public const string DefaultFileName = "appsettings.json";

    const string ConfigSwitch = "--config";
    const string ConfigVariable = RelaySetting.EnvironmentPrefix + "CONFIG";

    /// <summary>The prefix of the switches that set the console log (<c>--Logging:Console:FormatterName=json</c>).</summary>
    const string LoggingSwitch = "--Logging:";

    /// <summary>Reads the sources into one configuration. A configuration file that cannot be read is an error and is
    /// left out; the other sources are still read.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">The process's environment variables (all of them; only <c>COG_RELAY_*</c> are read).</param>
    /// <param name="baseDirectory">Where the default <c>appsettings.json</c> is looked for (the executable's folder).</param>
    public static RelaySettings Open(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        var commandLine = ParseSwitches(args, errors);
        var file = commandLine.ConfigFile ?? Lookup(environment, ConfigVariable);
        var configFile = file is null ? Path.Combine(baseDirectory, DefaultFileName) : Path.GetFullPath(file);
        if (commandLine.Help)
        {
            return new RelaySettings(new ConfigurationBuilder().Build(), [], null, configFile, ShowHelp: true);
        }

        string? readableFile = null;
        if (file is not null && !File.Exists(configFile))
        {
            errors.Add(RelayOptionErrors.ConfigFileMissing(file));
        }
        else if (File.Exists(configFile))
        {
            readableFile = configFile;
        }
        IConfigurationRoot configuration;
        try
        {
            configuration = Build(readableFile);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or FormatException or IOException or UnauthorizedAccessException)
        {
            errors.Add(RelayOptionErrors.ConfigFileInvalid(file ?? DefaultFileName, e.InnerException?.Message ?? e.Message));
            configuration = Build(null);
        }
        return new RelaySettings(configuration, errors, commandLine.Tags, configFile);

        IConfigurationRoot Build(string? jsonFile)
        {
            var builder = new ConfigurationBuilder();
            if (jsonFile is not null)
            {
                builder.AddJsonFile(jsonFile, optional: false, reloadOnChange: false);
            }
            builder.AddInMemoryCollection(EnvironmentSettings(environment));
            builder.AddCommandLine([.. commandLine.Settings]);
            return builder.Build();
        }
    }

    /// <summary>Converts the settings into <paramref name="options"/>; what cannot be read (a bad number, an unreadable
    /// token file, the sources' own errors) goes to <see cref="RelayOptions.ReadErrors"/>.</summary>
    public static void Bind(RelaySettings settings, RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(settings.Errors);
        Read(settings.Configuration, options, settings.SwitchTags, errors);
        options.Sandbox = ReadSandbox(settings.Configuration, options, settings.ConfigFile, errors);
        options.ReadErrors = errors;
    }

    /// <summary>Reads and validates the options in one call (what the host does at start, without a host).</summary>
    public static RelayConfigurationResult Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string baseDirectory)
    {
        var settings = Open(args, environment, baseDirectory);
        if (settings.ShowHelp)
        {
            return new RelayConfigurationResult(null, [], ShowHelp: true);
        }
        var options = new RelayOptions();
        Bind(settings, options);
        var validation = new RelayOptionsValidation().Validate(null, options);
        return validation.Failed ? new RelayConfigurationResult(null, [.. validation.Failures]) : new RelayConfigurationResult(options, []);
    }

    /// <summary>The usage text for <c>--help</c>.</summary>
    public static string Usage()
    {
        var lines = new List<string>
        {
            "Usage: cog-relay [--config FILE] [switches]",
            "",
            "Every setting can also be given in appsettings.json (key) or as an environment variable:",
        };
        foreach (var setting in RelaySetting.All)
        {
            var value = setting.IsFlag ? "" : " VALUE";
            lines.Add($"  {setting.Switch + value,-36} {setting.EnvironmentVariable,-40} {setting.Key}");
        }
        lines.Add($"  {LoggingSwitch + "KEY=VALUE",-36} {RelaySetting.EnvironmentPrefix + "LOGGING__KEY",-40} Logging:KEY (the console log, e.g. --Logging:Console:FormatterName=json)");
        lines.Add("See docs/relays.md.");
        return string.Join(Environment.NewLine, lines);
    }

    static void Read(IConfiguration configuration, RelayOptions options, IReadOnlyList<string>? switchTags, List<string> errors)
    {
        var raw = configuration.Get<RawSettings>() ?? new RawSettings();
        options.Id = Blank(raw.Id);
        options.Token = Blank(raw.Token);
        options.TokenFile = Blank(raw.TokenFile);
        options.CaCertificateFile = Blank(raw.CaCertificate);
        options.DevDirectory = Blank(raw.Dev);
        if (Blank(raw.Broker) is { } broker)
        {
            if (TryBroker(broker) is { } uri)
            {
                options.Broker = uri;
            }
            else
            {
                errors.Add(RelayOptionErrors.InvalidBroker(broker));
            }
        }
        if (Blank(raw.Server) is { } server)
        {
            if (Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
            {
                options.Server = uri;
            }
            else
            {
                errors.Add(RelayOptionErrors.InvalidServer(server));
            }
        }
        if (Blank(raw.Cache) is { } cache)
        {
            options.CacheDirectory = cache;
        }
        if (Number(raw.Concurrency, RelaySetting.Concurrency, errors) is { } concurrency)
        {
            options.Concurrency = concurrency;
        }
        if (Number(raw.KeepAlive, RelaySetting.KeepAlive, errors) is { } keepAlive)
        {
            options.KeepAlive = TimeSpan.FromSeconds(keepAlive);
        }
        if (Number(raw.RememberedRequests, RelaySetting.RememberedRequests, errors) is { } remembered)
        {
            options.RememberedRequests = remembered;
        }
        if (Number(raw.ShutdownGrace, RelaySetting.ShutdownGrace, errors) is { } grace)
        {
            options.ShutdownGrace = TimeSpan.FromSeconds(grace);
        }
        options.Workers = ReadWorkers(raw, options.Workers, errors);
        if (Blank(raw.AllowUntrustedCertificates) is { } allow)
        {
            if (bool.TryParse(allow, out var value))
            {
                options.AllowUntrustedCertificates = value;
            }
            else
            {
                errors.Add(RelayOptionErrors.NotABoolean(RelaySetting.AllowUntrustedCertificates, allow));
            }
        }

        foreach (var tag in switchTags ?? ReadTags(configuration))
        {
            options.Tags.Add(tag.Trim());
        }

        if (options.TokenFile is { } tokenFile)
        {
            if (options.Token is not null)
            {
                errors.Add(RelayOptionErrors.TokenTwice());
            }
            else
            {
                options.Token = ReadTokenFile(tokenFile, errors);
            }
        }
    }

    static WorkerOptions ReadWorkers(RawSettings raw, WorkerOptions workers, List<string> errors)
    {
        if (Number(raw.WorkerMinWarm, RelaySetting.WorkerMinWarm, errors) is { } minWarm)
        {
            workers = workers with { MinWarm = minWarm };
        }
        if (Number(raw.WorkerMax, RelaySetting.WorkerMax, errors) is { } max)
        {
            workers = workers with { MaxWorkers = max };
        }
        if (Number(raw.WorkerInvocations, RelaySetting.WorkerInvocations, errors) is { } invocations)
        {
            workers = workers with { InvocationsPerWorker = invocations };
        }
        if (Number(raw.WorkerKillGrace, RelaySetting.WorkerKillGrace, errors) is { } grace)
        {
            workers = workers with { KillGrace = TimeSpan.FromMilliseconds(grace) };
        }
        if (Number(raw.WorkerMemory, RelaySetting.WorkerMemory, errors) is { } memory)
        {
            workers = workers with { MemoryLimitMb = memory };
        }
        return workers;
    }

    /// <summary>The <c>sandbox:*</c> settings; the token and configuration files are hidden from bundle code.</summary>
    static SandboxOptions ReadSandbox(IConfiguration configuration, RelayOptions relay, string configFile, List<string> errors)
    {
        var raw = configuration.GetSection("sandbox").Get<RawSandbox>() ?? new RawSandbox();
        var options = new SandboxOptions
        {
            NetworkBundles = [.. ReadList(configuration, RelaySetting.SandboxNetworkBundles.Key)],
            WritableFolders = configuration.GetSection(RelaySetting.SandboxWritable.Key).GetChildren().ToImmutableDictionary(
                static bundle => bundle.Key, bundle => ReadList(configuration, bundle.Path).Select(Path.GetFullPath).ToImmutableArray(), StringComparer.Ordinal),
            HiddenFiles = [.. new[] { relay.TokenFile, configFile }.OfType<string>().Select(Path.GetFullPath)],
        };
        if (Blank(raw.Require) is { } require)
        {
            if (bool.TryParse(require, out var value))
            {
                options = options with { Require = value };
            }
            else
            {
                errors.Add(RelayOptionErrors.NotABoolean(RelaySetting.SandboxRequire, require));
            }
        }
        if (Number(raw.FirstUserId, RelaySetting.SandboxFirstUserId, errors) is { } first)
        {
            options = options with { FirstUserId = first };
        }
        if (Number(raw.UserIds, RelaySetting.SandboxUserIds, errors) is { } count)
        {
            options = options with { UserIdCount = count };
        }
        if (Number(raw.MemoryMb, RelaySetting.SandboxMemory, errors) is { } memory)
        {
            options = options with { MemoryBytes = memory * 1024L * 1024L };
        }
        if (Number(raw.CpuSeconds, RelaySetting.SandboxCpu, errors) is { } cpu)
        {
            options = options with { CpuSeconds = cpu };
        }
        if (Number(raw.Processes, RelaySetting.SandboxProcesses, errors) is { } processes)
        {
            options = options with { Processes = processes };
        }
        if (Number(raw.OpenFiles, RelaySetting.SandboxOpenFiles, errors) is { } files)
        {
            options = options with { OpenFiles = files };
        }
        if (Blank(raw.ContainerEngine) is { } engine)
        {
            options = options with { ContainerEngine = Path.GetFullPath(engine) };
        }
        if (Number(raw.ContainerCpus, RelaySetting.SandboxContainerCpus, errors) is { } cpus)
        {
            options = options with { ContainerCpus = cpus };
        }
        return options;
    }

    static string? ReadTokenFile(string path, List<string> errors)
    {
        try
        {
            var token = File.ReadAllText(path).Trim();
            if (token.Length == 0)
            {
                errors.Add(RelayOptionErrors.TokenFileEmpty(path));
                return null;
            }
            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(RelayOptionErrors.TokenFileUnreadable(path, e.Message));
            return null;
        }
    }

    static List<string> ReadTags(IConfiguration configuration) => ReadList(configuration, RelaySetting.Tags.Key);

    /// <summary>A list setting: one comma-separated value, or indexed children (a JSON array, <c>KEY__0</c>).</summary>
    static List<string> ReadList(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        if (section.Value is { } list)
        {
            // COG_RELAY_TAGS=prod,eu-west: a list in one variable.
            return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        var tags = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (child.Value is { } tag)
            {
                tags.Add(tag);
            }
        }
        return tags;
    }

    static Uri? TryBroker(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return null;
        }
        var scheme = uri.Scheme;
        var pathless = uri.AbsolutePath is "" or "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
        return scheme is "mqtt" or "mqtts" && uri.Host.Length > 0 && pathless ? uri : null;
    }

    static int? Number(string? text, RelaySetting setting, List<string> errors)
    {
        if (Blank(text) is not { } value)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        errors.Add(RelayOptionErrors.NotANumber(setting, value));
        return null;
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    static string? Lookup(IReadOnlyDictionary<string, string> environment, string name)
    {
        foreach (var (key, value) in environment)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>COG_RELAY_TOKEN_FILE → token_file; COG_RELAY_TAGS__0 → tags:0 (the EnvironmentVariables provider's rule).</summary>
    static Dictionary<string, string?> EnvironmentSettings(IReadOnlyDictionary<string, string> environment)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.Length > RelaySetting.EnvironmentPrefix.Length
                && name.StartsWith(RelaySetting.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(name, ConfigVariable, StringComparison.OrdinalIgnoreCase))
            {
                settings[name[RelaySetting.EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
            }
        }
        return settings;
    }

    static CommandLine ParseSwitches(IReadOnlyList<string> args, List<string> errors)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (argument is "--help" or "-h" or "-?")
            {
                result.Help = true;
                continue;
            }
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? argument[..equals] : argument;
            string? inline = equals > 0 ? argument[(equals + 1)..] : null;
            if (name == ConfigSwitch)
            {
                var file = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (string.IsNullOrWhiteSpace(file))
                {
                    errors.Add(RelayOptionErrors.ConfigNeedsFile);
                }
                else
                {
                    result.ConfigFile = file;
                }
                continue;
            }
            if (name.StartsWith(LoggingSwitch, StringComparison.OrdinalIgnoreCase))
            {
                var logging = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (logging is null)
                {
                    errors.Add(RelayOptionErrors.SwitchNeedsValue(name));
                }
                else
                {
                    result.Settings.Add($"{name}={logging}");
                }
                continue;
            }
            var setting = Find(name);
            if (setting is null)
            {
                errors.Add(RelayOptionErrors.UnknownSwitch(argument));
                continue;
            }
            string value;
            if (setting.IsFlag)
            {
                value = inline ?? "true";
            }
            else if (inline is not null)
            {
                value = inline;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                errors.Add(RelayOptionErrors.SwitchNeedsValue(name));
                continue;
            }
            if (setting == RelaySetting.SandboxWritable)
            {
                // --sandbox-writable BUNDLE=FOLDER[,FOLDER...]: one switch per bundle.
                var split = value.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    errors.Add(RelayOptionErrors.WritableNeedsBundle(value));
                }
                else
                {
                    result.Settings.Add($"--{setting.Key}:{value[..split]}={value[(split + 1)..]}");
                }
            }
            else if (setting == RelaySetting.Tags)
            {
                result.Tags ??= [];
                result.Tags.Add(value);
            }
            else
            {
                result.Settings.Add($"--{setting.Key}={value}");
            }
        }
        return result;
    }

    static RelaySetting? Find(string name)
    {
        foreach (var setting in RelaySetting.All)
        {
            if (setting.Switch == name)
            {
                return setting;
            }
        }
        return null;
    }

    sealed class CommandLine
    {
        public bool Help { get; set; }

        public string? ConfigFile { get; set; }

        public List<string> Settings { get; } = [];

        public List<string>? Tags { get; set; }
    }

    /// <summary>The settings as text, bound by the configuration binder; converted with errors collected by
    /// <see cref="Read"/> (the binder would stop at the first bad value).</summary>
    sealed class RawSettings
    {
        [ConfigurationKeyName("id")]
        public string? Id { get; set; }

        [ConfigurationKeyName("token")]
        public string? Token { get; set; }

        [ConfigurationKeyName("token_file")]
        public string? TokenFile { get; set; }

        [ConfigurationKeyName("broker")]
        public string? Broker { get; set; }

        [ConfigurationKeyName("ca_certificate")]
        public string? CaCertificate { get; set; }

        [ConfigurationKeyName("allow_untrusted_certificates")]
        public string? AllowUntrustedCertificates { get; set; }

        [ConfigurationKeyName("server")]
        public string? Server { get; set; }

        [ConfigurationKeyName("cache")]
        public string? Cache { get; set; }

        [ConfigurationKeyName("concurrency")]
        public string? Concurrency { get; set; }

        [ConfigurationKeyName("dev")]
        public string? Dev { get; set; }

        [ConfigurationKeyName("keep_alive")]
        public string? KeepAlive { get; set; }

        [ConfigurationKeyName("remembered_requests")]
        public string? RememberedRequests { get; set; }

        [ConfigurationKeyName("shutdown_grace")]
        public string? ShutdownGrace { get; set; }

        [ConfigurationKeyName("worker_min_warm")]
        public string? WorkerMinWarm { get; set; }

        [ConfigurationKeyName("worker_max")]
        public string? WorkerMax { get; set; }

        [ConfigurationKeyName("worker_invocations")]
        public string? WorkerInvocations { get; set; }

        [ConfigurationKeyName("worker_kill_grace_ms")]
        public string? WorkerKillGrace { get; set; }

        [ConfigurationKeyName("worker_memory_mb")]
        public string? WorkerMemory { get; set; }
    }

    /// <summary>The <c>sandbox</c> section as text (<c>network_bundles</c> is read as a list by <see cref="ReadList"/>).</summary>
    sealed class RawSandbox
    {
        [ConfigurationKeyName("require")]
        public string? Require { get; set; }

        [ConfigurationKeyName("first_user_id")]
        public string? FirstUserId { get; set; }

        [ConfigurationKeyName("user_ids")]
        public string? UserIds { get; set; }

        [ConfigurationKeyName("memory_mb")]
        public string? MemoryMb { get; set; }

        [ConfigurationKeyName("cpu_seconds")]
        public string? CpuSeconds { get; set; }

        [ConfigurationKeyName("processes")]
        public string? Processes { get; set; }

        [ConfigurationKeyName("open_files")]
        public string? OpenFiles { get; set; }

        [ConfigurationKeyName("container_engine")]
        public string? ContainerEngine { get; set; }

        [ConfigurationKeyName("container_cpus")]
        public string? ContainerCpus { get; set; }
    }
}

/// <summary>The relay's sources read into one configuration (<see cref="RelayConfiguration.Open"/>).</summary>
/// <param name="Configuration">The settings: the configuration file, <c>COG_RELAY_*</c> variables and switches.</param>
/// <param name="Errors">What the sources themselves got wrong (an unknown switch, a missing or invalid file).</param>
/// <param name="SwitchTags">The tags given as switches, which replace any others; null when none was.</param>
/// <param name="ConfigFile">The configuration file's full path (hidden from bundle code).</param>
/// <param name="ShowHelp">True when <c>--help</c> was given.</param>
sealed record RelaySettings(IConfigurationRoot Configuration, IReadOnlyList<string> Errors, IReadOnlyList<string>? SwitchTags, string ConfigFile,
    bool ShowHelp = false);

/// <summary>The options when every setting is valid, else every error; or a request for the usage text.</summary>
/// <param name="Options">The valid options, or <see langword="null"/> when there are errors or help was asked for.</param>
/// <param name="Errors">Every error, one sentence each.</param>
/// <param name="ShowHelp">True when <c>--help</c> was given.</param>
sealed record RelayConfigurationResult(RelayOptions? Options, IReadOnlyList<string> Errors, bool ShowHelp = false);
