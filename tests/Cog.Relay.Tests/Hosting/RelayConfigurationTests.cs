using Cog.Relay.Execution.Workers;
using Cog.Relay.Hosting;

namespace Cog.Relay.Tests.Hosting;

public sealed class RelayConfigurationTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("cog-relay-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    RelayConfigurationResult Load(string[] args, Dictionary<string, string>? environment = null) =>
        RelayConfiguration.Load(args, environment ?? [], _folder);

    static readonly string[] Minimal = ["--id", "relay-1", "--token", "t0ken", "--server", "http://cog.example.com:4000"];

    [Fact]
    public void Nothing_set_lists_every_required_setting_with_how_to_set_it()
    {
        var result = Load([]);

        Assert.Null(result.Options);
        Assert.Equal(
        [
            "Relay id is required: set --id or COG_RELAY_ID.",
            "Relay token is required: set --token-file or COG_RELAY_TOKEN_FILE (a file holding the token), or --token or COG_RELAY_TOKEN.",
            "Server URL is required (packages are downloaded from it): set --server or COG_RELAY_SERVER.",
        ], result.Errors);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once()
    {
        var result = Load(["--id", "Relay_1", "--token", "t", "--broker", "http://broker", "--server", "ftp://x",
            "--concurrency", "0", "--keep-alive", "soon", "--tag", "has space", "--dev", Path.Combine(_folder, "missing")]);

        Assert.Equal(
        [
            "Broker URL 'http://broker' is invalid: use mqtt://host:port, or mqtts://host:port for TLS (set --broker or COG_RELAY_BROKER).",
            "Server URL 'ftp://x' is invalid: use http://host:port or https://host:port, the Cog server's base URL (set --server or COG_RELAY_SERVER).",
            "Keep-alive (seconds) must be a whole number, not 'soon': set --keep-alive or COG_RELAY_KEEP_ALIVE.",
            "Relay id 'Relay_1' is invalid: use 1 to 64 characters from a-z, 0-9 and '-' (set --id or COG_RELAY_ID).",
            "Concurrency must be between 1 and 1024, not 0: set --concurrency or COG_RELAY_CONCURRENCY.",
            "Tag 'has space' is invalid: use 1 to 64 characters without spaces or commas (set --tag or COG_RELAY_TAGS).",
            $"Dev folder '{Path.Combine(_folder, "missing")}' does not exist (set --dev or COG_RELAY_DEV).",
        ], result.Errors);
    }

    [Fact]
    public void Switches_override_environment_variables_which_override_the_json_file()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """
            { "id": "from-json", "token": "json-token", "concurrency": 2, "broker": "mqtt://json-broker:1884", "keep_alive": 45, "tags": ["a", "b"] }
            """);
        var environment = new Dictionary<string, string>
        {
            ["COG_RELAY_CONCURRENCY"] = "3",
            ["COG_RELAY_BROKER"] = "mqtts://env-broker",
            ["COG_RELAY_SERVER"] = "https://cog.example.com",
            ["PATH"] = "/usr/bin",
        };

        var result = Load(["--concurrency", "5"], environment);

        var options = Assert.IsType<RelayOptions>(result.Options, exactMatch: true);
        Assert.Equal("from-json", options.Id);
        Assert.Equal("json-token", options.Token);
        Assert.Equal(5, options.Concurrency);
        Assert.Equal(new Uri("mqtts://env-broker"), options.Broker);
        Assert.True(options.UsesTls);
        Assert.Equal(8883, options.BrokerPort);
        Assert.Equal(new Uri("https://cog.example.com"), options.Server);
        Assert.Equal(TimeSpan.FromSeconds(45), options.KeepAlive);
        Assert.Equal(["a", "b"], options.Tags);
    }

    [Fact]
    public void Defaults_apply_when_only_the_required_settings_are_given()
    {
        var options = Load(Minimal).Options!;

        Assert.Equal(new Uri("mqtt://127.0.0.1:1883"), options.Broker);
        Assert.Equal(1883, options.BrokerPort);
        Assert.Equal(16, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAlive);
        Assert.Empty(options.Tags);
        Assert.Null(options.DevDirectory);
        Assert.False(options.AllowUntrustedCertificates);
        Assert.Equal(new WorkerOptions { MinWarm = 1, MaxWorkers = 4, InvocationsPerWorker = 32, KillGrace = TimeSpan.FromMilliseconds(500), MemoryLimitMb = 1024 },
            options.Workers);
    }

    [Fact]
    public void Worker_settings_are_read_from_switches_the_environment_and_the_file()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "worker_memory_mb": "512" }""");
        var environment = new Dictionary<string, string> { ["COG_RELAY_WORKER_MAX"] = "8", ["COG_RELAY_WORKER_KILL_GRACE_MS"] = "250" };

        var options = Load([.. Minimal, "--worker-min-warm", "0", "--worker-invocations", "16"], environment).Options!;

        Assert.Equal(new WorkerOptions { MinWarm = 0, MaxWorkers = 8, InvocationsPerWorker = 16, KillGrace = TimeSpan.FromMilliseconds(250), MemoryLimitMb = 512 },
            options.Workers);
    }

    [Fact]
    public void Worker_settings_out_of_range_are_reported_together()
    {
        var errors = Load([.. Minimal, "--worker-min-warm", "5", "--worker-max", "2", "--worker-invocations", "0", "--worker-kill-grace-ms", "10",
            "--worker-memory-mb", "many"]).Errors;

        Assert.Equal(
        [
            "Worker memory (MiB) must be a whole number, not 'many': set --worker-memory-mb or COG_RELAY_WORKER_MEMORY_MB.",
            "Warm workers per bundle version must be between 0 and 2, not 5: set --worker-min-warm or COG_RELAY_WORKER_MIN_WARM.",
            "Invocations per worker must be between 1 and 1024, not 0: set --worker-invocations or COG_RELAY_WORKER_INVOCATIONS.",
            "Worker kill grace (milliseconds) must be between 50 and 60000, not 10: set --worker-kill-grace-ms or COG_RELAY_WORKER_KILL_GRACE_MS.",
        ], errors);
    }

    [Fact]
    public void A_named_config_file_is_read_and_a_missing_one_is_an_error()
    {
        var file = Path.Combine(_folder, "relay.json");
        File.WriteAllText(file, """{ "id": "relay-9", "token": "x", "server": "http://cog:4000" }""");

        Assert.Equal("relay-9", Load(["--config", file]).Options!.Id);
        Assert.Equal(["Configuration file 'nope.json' does not exist (--config FILE)."], Load([.. Minimal, "--config", "nope.json"]).Errors);
    }

    [Fact]
    public void Invalid_json_is_reported()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), "{ \"id\": ");

        var error = Assert.Single(Load(Minimal).Errors);

        Assert.StartsWith("Configuration file 'appsettings.json' cannot be read: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_file_is_read_and_trimmed()
    {
        var file = Path.Combine(_folder, "token");
        File.WriteAllText(file, "s3cret-token\n");

        var options = Load(["--id", "relay-1", "--token-file", file, "--server", "http://cog:4000"]).Options!;

        Assert.Equal("s3cret-token", options.Token);
    }

    [Fact]
    public void Token_file_problems_are_reported_without_the_token()
    {
        var empty = Path.Combine(_folder, "empty");
        File.WriteAllText(empty, "  \n");
        var missing = Path.Combine(_folder, "missing");
        var tokenFile = Path.Combine(_folder, "token");
        File.WriteAllText(tokenFile, "file-secret");

        Assert.Equal([$"Token file '{empty}' is empty (set --token-file or COG_RELAY_TOKEN_FILE)."],
            Load(["--id", "relay-1", "--token-file", empty, "--server", "http://cog:4000"]).Errors);
        Assert.StartsWith($"Token file '{missing}' cannot be read: ",
            Assert.Single(Load(["--id", "relay-1", "--token-file", missing, "--server", "http://cog:4000"]).Errors), StringComparison.Ordinal);
        var twice = Load([.. Minimal, "--token-file", tokenFile]).Errors;
        Assert.Equal(["Relay token is set twice: set either --token or COG_RELAY_TOKEN, or --token-file or COG_RELAY_TOKEN_FILE, not both."], twice);
        Assert.DoesNotContain("file-secret", string.Join("\n", twice), StringComparison.Ordinal);
    }

    [Fact]
    public void No_error_ever_contains_the_token()
    {
        var errors = Load(["--id", "BAD", "--token", "tok-5ecret", "--concurrency", "x", "--broker", "nope"]).Errors;

        Assert.NotEmpty(errors);
        Assert.DoesNotContain("tok-5ecret", string.Join("\n", errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_come_from_a_repeated_switch_a_comma_separated_variable_or_indexed_variables()
    {
        Assert.Equal(["prod", "eu-west"], Load([.. Minimal, "--tag", "prod", "--tag=eu-west"]).Options!.Tags);
        Assert.Equal(["prod", "eu-west"], Load(Minimal, new() { ["COG_RELAY_TAGS"] = "prod, eu-west" }).Options!.Tags);
        Assert.Equal(["x", "y"], Load(Minimal, new() { ["COG_RELAY_TAGS__0"] = "x", ["COG_RELAY_TAGS__1"] = "y" }).Options!.Tags);
        Assert.Equal(["sw"], Load([.. Minimal, "--tag", "sw"], new() { ["COG_RELAY_TAGS"] = "env" }).Options!.Tags);
    }

    [Fact]
    public void Environment_variables_with_underscores_set_multi_word_settings()
    {
        var environment = new Dictionary<string, string>
        {
            ["COG_RELAY_ID"] = "relay-env",
            ["COG_RELAY_TOKEN"] = "t",
            ["COG_RELAY_SERVER"] = "http://cog:4000",
            ["COG_RELAY_KEEP_ALIVE"] = "60",
            ["COG_RELAY_REMEMBERED_REQUESTS"] = "500",
            ["COG_RELAY_SHUTDOWN_GRACE"] = "5",
        };

        var options = Load([], environment).Options!;

        Assert.Equal("relay-env", options.Id);
        Assert.Equal(TimeSpan.FromSeconds(60), options.KeepAlive);
        Assert.Equal(500, options.RememberedRequests);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownGrace);
    }

    [Fact]
    public void Tls_settings_need_an_mqtts_broker_and_an_existing_ca_file()
    {
        Assert.Equal(
        [
            "--ca-certificate applies to TLS only: use an mqtts:// broker URL or an https:// server URL, or remove it (COG_RELAY_CA_CERTIFICATE).",
            "--allow-untrusted-certificates applies to TLS only: use an mqtts:// broker URL, or remove it (COG_RELAY_ALLOW_UNTRUSTED_CERTIFICATES).",
        ], Load([.. Minimal, "--ca-certificate", "ca.pem", "--allow-untrusted-certificates"]).Errors);
        Assert.Equal(["CA certificate file 'ca.pem' does not exist (set --ca-certificate or COG_RELAY_CA_CERTIFICATE)."],
            Load([.. Minimal, "--broker", "mqtts://broker:8883", "--ca-certificate", "ca.pem"]).Errors);
        Assert.True(Load([.. Minimal, "--broker", "mqtts://broker", "--allow-untrusted-certificates"]).Options!.AllowUntrustedCertificates);
        // The certificate authority serves the package downloads from an https:// server too.
        Assert.Equal(["CA certificate file 'ca.pem' does not exist (set --ca-certificate or COG_RELAY_CA_CERTIFICATE)."],
            Load([.. Minimal, "--server", "https://cog.example.com", "--ca-certificate", "ca.pem"]).Errors);
        Assert.Equal(["Allow untrusted certificates must be true or false, not 'maybe': set --allow-untrusted-certificates or COG_RELAY_ALLOW_UNTRUSTED_CERTIFICATES."],
            Load([.. Minimal, "--broker", "mqtts://broker", "--allow-untrusted-certificates=maybe"]).Errors);
    }

    [Fact]
    public void Sandbox_settings_come_from_the_json_section_variables_and_switches_and_hide_the_relay_files()
    {
        var tokenFile = Path.Combine(_folder, "relay.token");
        File.WriteAllText(tokenFile, "t0ken");
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """
            { "id": "relay-1", "token_file": "TOKEN", "server": "http://cog:4000",
              "sandbox": { "network_bundles": ["web", "pager"], "memory_mb": 512 } }
            """.Replace("TOKEN", tokenFile.Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal));
        var environment = new Dictionary<string, string> { ["COG_RELAY_SANDBOX__PROCESSES"] = "100" };

        var sandbox = Load(["--sandbox-require", "--sandbox-first-user-id", "500000", "--sandbox-user-ids", "64"], environment).Options!.Sandbox;

        Assert.True(sandbox.Require);
        Assert.Equal(["pager", "web"], sandbox.NetworkBundles.Order(StringComparer.Ordinal));
        Assert.Equal(512L << 20, sandbox.MemoryBytes);
        Assert.Equal(100, sandbox.Processes);
        Assert.Equal((500000, 64), (sandbox.FirstUserId, sandbox.UserIdCount));
        Assert.Equal(3600, sandbox.CpuSeconds);
        Assert.Equal([tokenFile, Path.Combine(_folder, "appsettings.json")], sandbox.HiddenFiles);
    }

    [Fact]
    public void Writable_folders_are_per_bundle_from_a_switch_or_a_json_section()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "sandbox": { "writable": { "notes": ["/var/lib/notes"] } } }""");

        var sandbox = Load([.. Minimal, "--sandbox-writable", "logger=/var/log/logger,/srv/spool"]).Options!.Sandbox;
        var errors = Load([.. Minimal, "--sandbox-writable", "/srv/spool"]).Errors;

        Assert.Equal(["/var/lib/notes"], sandbox.WritableFolders["notes"]);
        Assert.Equal(["/var/log/logger", "/srv/spool"], sandbox.WritableFolders["logger"]);
        Assert.Equal(["--sandbox-writable '/srv/spool' names no bundle: use --sandbox-writable BUNDLE=FOLDER[,FOLDER...]."], errors);
    }

    [Fact]
    public void The_container_engine_is_a_socket_path_and_its_cpus_a_bounded_number()
    {
        var sandbox = Load([.. Minimal, "--sandbox-container-engine", "/run/cog-podman.sock", "--sandbox-container-cpus", "2"]).Options!.Sandbox;
        var none = Load(Minimal).Options!.Sandbox;
        var errors = Load([.. Minimal, "--sandbox-container-cpus", "0"]).Errors;

        Assert.Equal(("/run/cog-podman.sock", 2), (sandbox.ContainerEngine, sandbox.ContainerCpus));
        Assert.Equal((null, 1), (none.ContainerEngine, none.ContainerCpus));
        Assert.Equal(["Container CPUs must be between 1 and 1024, not 0: set --sandbox-container-cpus or COG_RELAY_SANDBOX__CONTAINER_CPUS."], errors);
    }

    [Fact]
    public void Sandbox_settings_out_of_range_are_reported()
    {
        var errors = Load([.. Minimal, "--sandbox-memory-mb", "64", "--sandbox-processes", "8", "--sandbox-first-user-id", "0", "--sandbox-require=perhaps"]).Errors;

        Assert.Equal(
        [
            "Sandbox require must be true or false, not 'perhaps': set --sandbox-require or COG_RELAY_SANDBOX__REQUIRE.",
            "Sandbox first user id must be between 1000 and 2147482623, not 0: set --sandbox-first-user-id or COG_RELAY_SANDBOX__FIRST_USER_ID.",
            "Sandbox memory (MiB) must be between 128 and 1048576, not 64: set --sandbox-memory-mb or COG_RELAY_SANDBOX__MEMORY_MB.",
            "Sandbox processes must be between 64 and 65536, not 8: set --sandbox-processes or COG_RELAY_SANDBOX__PROCESSES.",
        ], errors);
    }

    [Fact]
    public void Dev_mode_needs_no_server_url()
    {
        var options = Load(["--id", "dev-relay", "--token", "t", "--dev", _folder]).Options!;

        Assert.Equal(_folder, options.DevDirectory);
        Assert.Null(options.Server);
    }

    [Fact]
    public void Unknown_switches_and_missing_values_are_reported()
    {
        var errors = Load([.. Minimal, "--verbose", "stray", "--cache"]).Errors;

        Assert.Equal(
        [
            "Unknown switch '--verbose'. Known switches: --config, --id, --token, --token-file, --broker, --ca-certificate, --allow-untrusted-certificates, --server, --cache, --concurrency, --tag, --dev, --keep-alive, --remembered-requests, --shutdown-grace, --worker-min-warm, --worker-max, --worker-invocations, --worker-kill-grace-ms, --worker-memory-mb, --sandbox-require, --sandbox-network-bundles, --sandbox-writable, --sandbox-first-user-id, --sandbox-user-ids, --sandbox-memory-mb, --sandbox-cpu-seconds, --sandbox-processes, --sandbox-open-files, --sandbox-container-engine, --sandbox-container-cpus.",
            "Unknown switch 'stray'. Known switches: --config, --id, --token, --token-file, --broker, --ca-certificate, --allow-untrusted-certificates, --server, --cache, --concurrency, --tag, --dev, --keep-alive, --remembered-requests, --shutdown-grace, --worker-min-warm, --worker-max, --worker-invocations, --worker-kill-grace-ms, --worker-memory-mb, --sandbox-require, --sandbox-network-bundles, --sandbox-writable, --sandbox-first-user-id, --sandbox-user-ids, --sandbox-memory-mb, --sandbox-cpu-seconds, --sandbox-processes, --sandbox-open-files, --sandbox-container-engine, --sandbox-container-cpus.",
            "--cache needs a value: --cache VALUE.",
        ], errors);
    }

    [Fact]
    public void Help_asks_for_the_usage_text()
    {
        var result = Load(["--help"]);

        Assert.True(result.ShowHelp);
        Assert.Contains("--token-file VALUE", RelayConfiguration.Usage(), StringComparison.Ordinal);
        Assert.Contains("COG_RELAY_TOKEN_FILE", RelayConfiguration.Usage(), StringComparison.Ordinal);
    }
}
