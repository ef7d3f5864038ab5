namespace Cog.Relay.Hosting;

/// <summary>One relay setting and the three ways to set it: its key in <c>appsettings.json</c>, its environment
/// variable and its switch.</summary>
/// <param name="Key">The configuration key (also the JSON property name).</param>
/// <param name="Switch">The command-line switch, with its dashes.</param>
/// <param name="IsFlag">True for a switch that takes no value (it means <c>true</c>).</param>
sealed record RelaySetting(string Key, string Switch, bool IsFlag = false)
{
    /// <summary>The prefix of every environment variable of the relay.</summary>
    public const string EnvironmentPrefix = "COG_RELAY_";

    /// <summary>The environment variable: <c>COG_RELAY_</c> and the key in upper case, a section's <c>:</c> written
    /// <c>__</c>.</summary>
    public string EnvironmentVariable => EnvironmentPrefix + Key.ToUpperInvariant().Replace(":", "__", StringComparison.Ordinal);

    /// <summary>How to set it, for error messages: <c>--id or COG_RELAY_ID</c>.</summary>
    public string HowToSet => $"{Switch} or {EnvironmentVariable}";

    /// <summary>The relay id.</summary>
    public static RelaySetting Id { get; } = new("id", "--id");

    /// <summary>The relay token.</summary>
    public static RelaySetting Token { get; } = new("token", "--token");

    /// <summary>A file holding the relay token.</summary>
    public static RelaySetting TokenFile { get; } = new("token_file", "--token-file");

    /// <summary>The broker URL.</summary>
    public static RelaySetting Broker { get; } = new("broker", "--broker");

    /// <summary>The CA certificate file for the broker's TLS certificate.</summary>
    public static RelaySetting CaCertificate { get; } = new("ca_certificate", "--ca-certificate");

    /// <summary>Accept any broker certificate (development only).</summary>
    public static RelaySetting AllowUntrustedCertificates { get; } = new("allow_untrusted_certificates", "--allow-untrusted-certificates", IsFlag: true);

    /// <summary>The Cog server's URL.</summary>
    public static RelaySetting Server { get; } = new("server", "--server");

    /// <summary>The cache folder.</summary>
    public static RelaySetting Cache { get; } = new("cache", "--cache");

    /// <summary>The concurrency limit.</summary>
    public static RelaySetting Concurrency { get; } = new("concurrency", "--concurrency");

    /// <summary>The relay's tags (the switch is repeatable).</summary>
    public static RelaySetting Tags { get; } = new("tags", "--tag");

    /// <summary>The dev folder.</summary>
    public static RelaySetting Dev { get; } = new("dev", "--dev");

    /// <summary>The MQTT keep-alive, in seconds.</summary>
    public static RelaySetting KeepAlive { get; } = new("keep_alive", "--keep-alive");

    /// <summary>How many request ids are remembered to ignore duplicates.</summary>
    public static RelaySetting RememberedRequests { get; } = new("remembered_requests", "--remembered-requests");

    /// <summary>How long a clean stop waits for running commands, in seconds.</summary>
    public static RelaySetting ShutdownGrace { get; } = new("shutdown_grace", "--shutdown-grace");

    /// <summary>Worker processes started per bundle version as soon as it is loaded.</summary>
    public static RelaySetting WorkerMinWarm { get; } = new("worker_min_warm", "--worker-min-warm");

    /// <summary>The most worker processes per bundle version.</summary>
    public static RelaySetting WorkerMax { get; } = new("worker_max", "--worker-max");

    /// <summary>Invocations one worker runs at once before the pool starts another.</summary>
    public static RelaySetting WorkerInvocations { get; } = new("worker_invocations", "--worker-invocations");

    /// <summary>How long a cancelled command has to stop before its worker is killed, in milliseconds.</summary>
    public static RelaySetting WorkerKillGrace { get; } = new("worker_kill_grace_ms", "--worker-kill-grace-ms");

    /// <summary>Each worker's memory (managed heap) limit, in MiB.</summary>
    public static RelaySetting WorkerMemory { get; } = new("worker_memory_mb", "--worker-memory-mb");

    /// <summary>Refuse to start when the host lacks a confinement mechanism.</summary>
    public static RelaySetting SandboxRequire { get; } = new("sandbox:require", "--sandbox-require", IsFlag: true);

    /// <summary>The bundles whose commands may use the network (comma-separated).</summary>
    public static RelaySetting SandboxNetworkBundles { get; } = new("sandbox:network_bundles", "--sandbox-network-bundles");

    /// <summary>Host folders one bundle's commands may write to (<c>sandbox:writable:BUNDLE</c>, a list).</summary>
    public static RelaySetting SandboxWritable { get; } = new("sandbox:writable", "--sandbox-writable");

    /// <summary>The first user id confined processes run under.</summary>
    public static RelaySetting SandboxFirstUserId { get; } = new("sandbox:first_user_id", "--sandbox-first-user-id");

    /// <summary>How many user ids the sandbox may use.</summary>
    public static RelaySetting SandboxUserIds { get; } = new("sandbox:user_ids", "--sandbox-user-ids");

    /// <summary>The memory limit of a confined process, in MiB.</summary>
    public static RelaySetting SandboxMemory { get; } = new("sandbox:memory_mb", "--sandbox-memory-mb");

    /// <summary>The CPU time limit of a confined process, in seconds.</summary>
    public static RelaySetting SandboxCpu { get; } = new("sandbox:cpu_seconds", "--sandbox-cpu-seconds");

    /// <summary>The process limit of a confined process's user.</summary>
    public static RelaySetting SandboxProcesses { get; } = new("sandbox:processes", "--sandbox-processes");

    /// <summary>The open-file limit of a confined process.</summary>
    public static RelaySetting SandboxOpenFiles { get; } = new("sandbox:open_files", "--sandbox-open-files");

    /// <summary>The Docker Engine API socket Docker bundles run on (Docker or Podman).</summary>
    public static RelaySetting SandboxContainerEngine { get; } = new("sandbox:container_engine", "--sandbox-container-engine");

    /// <summary>How many CPUs one container may use.</summary>
    public static RelaySetting SandboxContainerCpus { get; } = new("sandbox:container_cpus", "--sandbox-container-cpus");

    /// <summary>Every setting, in the order of the documentation.</summary>
    public static IReadOnlyList<RelaySetting> All { get; } =
    [
        Id, Token, TokenFile, Broker, CaCertificate, AllowUntrustedCertificates, Server, Cache, Concurrency, Tags, Dev,
        KeepAlive, RememberedRequests, ShutdownGrace, WorkerMinWarm, WorkerMax, WorkerInvocations, WorkerKillGrace, WorkerMemory,
        SandboxRequire, SandboxNetworkBundles, SandboxWritable, SandboxFirstUserId, SandboxUserIds,
        SandboxMemory, SandboxCpu, SandboxProcesses, SandboxOpenFiles, SandboxContainerEngine, SandboxContainerCpus,
    ];
}
