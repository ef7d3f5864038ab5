using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Relay.Bundles;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Isolation;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Tests.Execution.Assemblies;
using Cog.Sdk;
using Cog.Testing;
using Microsoft.Extensions.Time.Testing;
using static Cog.Relay.Tests.Bundles.BundleTestKit;

namespace Cog.Relay.Tests.Bundles;

/// <summary>Assigned bundle versions: download from the loopback server, verification, cache, leases, unloading and
/// upgrades (protocol §6.2, §7, §8.4).</summary>
public sealed class BundleHostTests : IAsyncLifetime
{
    BundleTestKit _kit = null!;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _kit = await BundleTestKit.StartAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    string[] UnpackedFolders() => Directory.GetDirectories(Path.Combine(_kit.CacheDirectory, "bundles"));

    string[] CachedPackages() => Directory.GetFiles(Path.Combine(_kit.CacheDirectory, "packages"));

    [Fact]
    public async Task An_assigned_script_bundle_is_downloaded_verified_and_ready_to_run()
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();
        var raised = new List<BundleSnapshot>();
        host.Changed += (_, snapshot) => raised.Add(snapshot);

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        var ready = Assert.Single(host.Current.Ready);
        Assert.Equal(("echo-script", "0.1.0", package.Digest), (ready.Name, ready.Version, ready.Digest));
        Assert.Empty(host.Current.Failures);
        Assert.Same(host.Current, raised[^1]);
        Assert.Equal(1, _kit.Server.Requests(PathOf(package)));
        Assert.Equal([Path.Combine(_kit.CacheDirectory, "packages", package.Digest[7..] + ".cogbundle")], CachedPackages());
        Assert.True(File.Exists(Path.Combine(ready.Directory, "scripts", "say.csx")));

        var outcome = await RunAsync(host, "echo-script", "0.1.0", "say", "hello", "world");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("hello world", Assert.Single(outcome.Items).GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_token_is_sent_only_as_basic_authentication_and_never_logged()
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        Assert.Single(host.Current.Ready); // The server answers 401 to any other authorization.
        Assert.NotEmpty(_kit.Log.Entries);
        Assert.DoesNotContain(_kit.Log.Entries, e => e.Message.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, _kit.Options().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_digest_is_a_failure_and_nothing_is_unpacked_or_kept()
    {
        var package = Archive(_kit.Example("echo-script"));
        var other = Archive(_kit.Example("executable-v6"));
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package) with { Digest = other.Digest }), Cancel);

        Assert.Empty(host.Current.Ready);
        var failure = Assert.Single(host.Current.Failures);
        Assert.Equal(new BundleFailure("echo-script", "0.1.0",
            $"The package's digest does not match its assignment: expected {other.Digest}, received {package.Digest}."), failure);
        Assert.Empty(UnpackedFolders());
        Assert.Empty(CachedPackages());
        Assert.Null(host.TryAcquire("echo-script", "0.1.0"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public async Task A_wrong_size_is_a_failure_and_nothing_is_unpacked_or_kept(int difference)
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();
        var expected = package.Bytes.Length + difference;

        await host.ApplyAsync(Assignments(1, _kit.Publish(package) with { PackageSize = expected }), Cancel);

        Assert.Empty(host.Current.Ready);
        Assert.Equal($"The package is {package.Bytes.Length} bytes, but its assignment says {expected} bytes.", Assert.Single(host.Current.Failures).Message);
        Assert.Empty(UnpackedFolders());
        Assert.Empty(CachedPackages());
    }

    [Theory]
    [InlineData(404, "The server has no package for this bundle version (HTTP 404).")]
    [InlineData(403, "The server refused the package download (HTTP 403): this bundle version is not assigned to this relay.")]
    [InlineData(500, "The package download failed: the server answered HTTP 500 Internal Server Error.")]
    public async Task An_http_error_is_a_failure_with_its_message(int status, string message)
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, Assignment(package, _kit.Server.Fail(PathOf(package), status))), Cancel);

        Assert.Empty(host.Current.Ready);
        Assert.Equal(new BundleFailure("echo-script", "0.1.0", message), Assert.Single(host.Current.Failures));
        Assert.Empty(UnpackedFolders());
    }

    [Fact]
    public async Task Wrong_credentials_are_a_failure_that_says_to_check_them()
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host(_kit.Options(token: "wrong"));

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        Assert.Equal("The server refused the relay's credentials when it downloaded the package (HTTP 401): check the relay id and token.",
            Assert.Single(host.Current.Failures).Message);
        Assert.Empty(host.Current.Ready);
    }

    [Theory]
    [InlineData("http://127.0.0.2:{port}/p")]
    [InlineData("https://127.0.0.1:{port}/p")]
    [InlineData("http://127.0.0.1:1/p")]
    [InlineData("http://evil.example/p")]
    public async Task A_package_url_on_another_origin_is_refused_without_a_request(string url)
    {
        var package = Archive(_kit.Example("echo-script"));
        _kit.Publish(package);
        var foreign = new Uri(url.Replace("{port}", _kit.Server.Origin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, Assignment(package, foreign)), Cancel);

        Assert.Equal(
            $"The package URL {foreign} is not on the relay's server {_kit.Server.Origin.GetLeftPart(UriPartial.Authority)}; the relay sends its credentials only there and did not download it.",
            Assert.Single(host.Current.Failures).Message);
        Assert.Equal(0, _kit.Server.TotalRequests);
        Assert.Empty(host.Current.Ready);
    }

    [Fact]
    public async Task A_package_holding_another_bundle_version_is_refused()
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package) with { Version = "9.9.9" }), Cancel);

        Assert.Equal("The package holds bundle 'echo-script' version '0.1.0', not the assigned 'echo-script' version '9.9.9'.",
            Assert.Single(host.Current.Failures).Message);
        Assert.Empty(UnpackedFolders());
    }

    [Fact]
    public async Task A_package_that_is_not_a_zip_archive_is_a_failure()
    {
        var bytes = "not a zip"u8.ToArray();
        var package = new Package(bytes, Cog.Manifest.Packages.BundlePackage.Digest(new MemoryStream(bytes)),
            ManifestLoader.LoadDirectory(_kit.Example("echo-script")).Manifest!, PackageFormat.Archive);
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        Assert.StartsWith("The package is not a valid ZIP archive: ", Assert.Single(host.Current.Failures).Message, StringComparison.Ordinal);
        Assert.Empty(UnpackedFolders());
    }

    [Fact]
    public async Task A_failed_version_is_retried_with_back_off_and_becomes_ready_once_served()
    {
        var package = Archive(_kit.Example("echo-script"));
        var time = new FakeTimeProvider();
        var host = _kit.Host(_kit.Options() with { MaxRetryDelay = TimeSpan.FromSeconds(4) }, time);
        var path = PathOf(package);
        var assignment = Assignment(package, _kit.Server.Fail(path, 404));

        await host.ApplyAsync(Assignments(1, assignment), Cancel);
        Assert.Equal(BundleErrors.NotFound, Assert.Single(host.Current.Failures).Message);

        // Each retry waits twice as long as the last, up to the maximum: 1 s, 2 s, 4 s, 4 s.
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            var before = attempt - 1;
            await AdvanceUntilAsync(time, () => _kit.Server.Requests(path) > before);
            Assert.Equal(attempt, _kit.Server.Requests(path));
        }
        await WaitUntilAsync(() => RetryDelays().Count == 5, "the fifth failure is logged");
        Assert.Equal([1, 2, 4, 4, 4], RetryDelays());

        _kit.Server.Serve(path, package.Bytes);
        await AdvanceUntilAsync(time, () => host.Current.Ready.Length == 1);
        Assert.Empty(host.Current.Failures);
        Assert.Equal(6, _kit.Server.Requests(path));
    }

    List<double> RetryDelays() =>
        [.. _kit.Log.Entries.Where(e => e.Message.Contains("retrying in", StringComparison.Ordinal))
            .Select(e => TimeSpan.Parse(e.Message.Split("retrying in ")[1].Split(':', 4) is var p ? $"{p[0]}:{p[1]}:{p[2]}" : "", System.Globalization.CultureInfo.InvariantCulture).TotalSeconds)];

    /// <summary>Moves the fake clock a second at a time (the worker registers its delay asynchronously) until the
    /// condition holds.</summary>
    static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(25, Cancel);
        }
        Assert.True(condition(), "the retry never happened");
    }

    [Fact]
    public async Task A_restarted_relay_uses_its_verified_cache_and_downloads_nothing()
    {
        var package = Archive(_kit.Example("echo-script"));
        var assignments = Assignments(1, _kit.Publish(package));
        var first = _kit.Host();
        await first.ApplyAsync(assignments, Cancel);
        await first.DisposeAsync();

        var second = _kit.Host();
        await second.ApplyAsync(assignments, Cancel);

        Assert.Equal(1, _kit.Server.Requests(PathOf(package)));
        Assert.Equal(0, second.Downloads);
        Assert.Equal(package.Digest, Assert.Single(second.Current.Ready).Digest);
        Assert.Equal(CommandStatus.Ok, (await RunAsync(second, "echo-script", "0.1.0", "say", "again")).Status);
    }

    [Fact]
    public async Task A_damaged_cached_package_is_discarded_and_downloaded_again()
    {
        var package = Archive(_kit.Example("echo-script"));
        var assignments = Assignments(1, _kit.Publish(package));
        var first = _kit.Host();
        await first.ApplyAsync(assignments, Cancel);
        await first.DisposeAsync();
        var cached = Assert.Single(CachedPackages());
        var bytes = File.ReadAllBytes(cached);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(cached, bytes);

        var second = _kit.Host();
        await second.ApplyAsync(assignments, Cancel);

        Assert.Equal(2, _kit.Server.Requests(PathOf(package)));
        Assert.Single(second.Current.Ready);
        Assert.Equal(package.Bytes, File.ReadAllBytes(cached));
    }

    [Fact]
    public async Task A_lower_revision_is_ignored()
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();
        await host.ApplyAsync(Assignments(5, _kit.Publish(package)), Cancel);

        await host.ApplyAsync(Assignments(4), Cancel);

        Assert.Single(host.Current.Ready);
        await host.ApplyAsync(Assignments(5), Cancel);
        Assert.Empty(host.Current.Ready);
    }

    [Fact]
    public async Task An_unassigned_version_is_out_of_service_at_once_and_unloaded_after_its_last_lease()
    {
        var package = Archive(_kit.Example("echo-script"));
        var host = _kit.Host();
        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);
        var first = host.TryAcquire("echo-script", "0.1.0")!;
        var second = host.TryAcquire("echo-script", "0.1.0")!;
        Assert.Equal(CommandStatus.Ok, (await RunAsync(host, first.Bundle, "say", "x")).Status);
        var compiled = host.Scripts.CachedKeys.Count;
        Assert.Equal(1, compiled);

        await host.ApplyAsync(Assignments(2), Cancel);

        Assert.Null(host.TryAcquire("echo-script", "0.1.0"));
        Assert.Equal(BundleSnapshot.Empty.Ready, host.Current.Ready);
        Assert.Empty(CachedPackages());
        first.Dispose();
        Assert.True(Directory.Exists(first.Bundle.Directory), "unloaded while a lease is held");
        second.Dispose();
        Assert.False(Directory.Exists(first.Bundle.Directory), "the folder outlived the last lease");
        Assert.Empty(host.Scripts.CachedKeys);
    }

    [Fact]
    public async Task A_new_assembly_version_replaces_the_old_one_without_a_restart_and_the_old_workers_exit()
    {
        var v1 = Archive(_kit.Greeter(PluginFixtures.GreeterV1, "1.0.0"));
        var v2 = Archive(_kit.Greeter(PluginFixtures.GreeterV2, "2.0.0"));
        var host = _kit.Host();
        await host.ApplyAsync(Assignments(1, _kit.Publish(v1)), Cancel);
        var before = await RunAsync(host, "greeter", "1.0.0", "greet", "Ada");
        var oldDirectory = Assert.Single(host.Current.Ready).Directory;
        var oldWorkers = host.Workers.PoolOf(oldDirectory)!.Workers;

        await host.ApplyAsync(Assignments(2, _kit.Publish(v2)), Cancel);

        Assert.Null(host.TryAcquire("greeter", "1.0.0"));
        var outcome = await RunAsync(host, "greeter", "2.0.0", "greet", "Ada");
        Assert.Equal("Hello, Ada", Assert.Single(before.Items).GetProperty("greeting").GetString());
        Assert.Equal("Welcome back, Ada!", Assert.Single(outcome.Items).GetProperty("greeting").GetString());
        Assert.Null(host.Workers.PoolOf(oldDirectory));
        Assert.NotEmpty(oldWorkers);
        await Task.WhenAll(oldWorkers.Select(w => w.Exited)).WaitAsync(Eventually.Limit, Cancel);
    }

    [Fact]
    public async Task A_manifest_package_of_an_unchanged_cog_1_bundle_runs_through_the_executable_engine()
    {
        // As Cog 1.0 wrote it: the manifest alone, naming scripts installed on the relay host by absolute path (here
        // where the example's copy keeps them).
        var folder = _kit.Example("cog1-shell");
        var manifest = Path.Combine(folder, "config.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("executable: ", $"executable: {folder}/", StringComparison.Ordinal));
        var package = ManifestOnly(manifest);
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        using var lease = host.TryAcquire("shelldemo", "1.0.0");
        Assert.NotNull(lease);
        Assert.Equal(5, lease.Bundle.Manifest.ManifestVersion);
        Assert.Equal(["config.yaml"], Directory.GetFiles(lease.Bundle.Directory).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(_kit.CacheDirectory, "packages", package.Digest[7..] + ".yaml")));
        // The executables of a manifest package are installed on the relay host, at the absolute paths it names.
        var greet = lease.Bundle.Manifest.FindCommand("greet")!;
        Assert.Equal(Path.Combine(folder, "greet.sh"), greet.Target);
        var outcome = await RunAsync(host, lease.Bundle, "greet", "Ada");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("Ada", Assert.Single(outcome.Items).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_version_six_manifest_package_is_refused()
    {
        var folder = _kit.Folder("v6");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.yaml"), """
            cog_bundle_version: 6
            name: hostonly
            description: An executable installed on the relay host
            version: "1.0.0"
            commands:
              uptime:
                executable: /usr/bin/uptime
                rules:
                  - allow
            """);
        var package = ManifestOnly(Path.Combine(folder, "config.yaml"));
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        Assert.Equal("A 'manifest' package must hold a cog_bundle_version 4 or 5 manifest, not version 6; version 6 bundles are 'archive' packages.", Assert.Single(host.Current.Failures).Message);
    }

    [Fact]
    public async Task An_invalid_manifest_in_a_package_is_a_failure_with_its_located_errors()
    {
        var folder = _kit.Example("cog1-shell");
        File.WriteAllText(Path.Combine(folder, "config.yaml"), File.ReadAllText(Path.Combine(folder, "config.yaml")).Replace("executable: greet.sh", "executible: greet.sh", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(Path.Combine(folder, "config.yaml"));
        var valid = ManifestOnly(Path.Combine(_kit.Example("cog1-shell", "valid"), "config.yaml"));
        var package = valid with { Bytes = bytes, Digest = Cog.Manifest.Packages.BundlePackage.Digest(new MemoryStream(bytes)) };
        var host = _kit.Host();

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        var message = Assert.Single(host.Current.Failures).Message;
        Assert.StartsWith("The bundle's manifest is invalid:\nconfig.yaml:", message, StringComparison.Ordinal);
        Assert.Empty(UnpackedFolders());
    }

    [Fact]
    public async Task Engines_are_chosen_by_command_kind_and_a_docker_bundles_executables_by_its_image()
    {
        using var http = new HttpClient();
        await using var host = new BundleHost(_kit.Options() with { Containers = new ContainerOptions("/nonexistent.sock", new SandboxOptions()) }, http, _kit.Log,
            TimeProvider.System);
        var plain = Ready(docker: null);

        Assert.IsType<Cog.Relay.Execution.Executables.ExecutableEngine>(host.EngineFor(plain, CommandKind.Executable));
        Assert.Same(host.Workers, host.EngineFor(plain, CommandKind.Script));
        Assert.IsType<WorkerEngine>(host.EngineFor(plain, CommandKind.Type));
        Assert.IsType<ContainerEngine>(host.EngineFor(Ready(new DockerImage("cogcmd/net", "0.4.0", [])), CommandKind.Executable));
    }

    static ReadyBundle Ready(DockerImage? docker) => new("net", "0.4.0", "sha256:00",
        new BundleManifest(4, "net", "Network tools", "0.4.0", null, null, null, [], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, [], null,
            docker, null), "/unused");

    [Fact]
    public async Task The_warm_up_compiles_in_the_background_and_caches_nothing()
    {
        var host = _kit.Host(_kit.Options() with { WarmUpScripts = true });

        await host.StartAsync(Cancel);
        await host.WarmUp.WaitAsync(TimeSpan.FromSeconds(60), Cancel);

        Assert.True(host.WarmUp.IsCompletedSuccessfully);
        Assert.Contains(_kit.Log.Entries, e => e.Message.StartsWith("Script compiler warmed up in ", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(_kit.CacheDirectory, "scripts")));
        Assert.Equal(0, host.Scripts.Compilations);
    }
}
