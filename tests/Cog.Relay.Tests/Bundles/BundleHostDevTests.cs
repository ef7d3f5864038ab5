using System.Diagnostics;
using Cog.Manifest.Packages;
using Cog.Relay.Bundles;
using Cog.Relay.Tests.Execution.Assemblies;
using Cog.Sdk;
using static Cog.Relay.Tests.Bundles.BundleTestKit;
using Cog.Testing;

namespace Cog.Relay.Tests.Bundles;

/// <summary>Dev mode: the bundles of a local folder, served as they are and reloaded when their files change.</summary>
public sealed class BundleHostDevTests : IAsyncLifetime
{
    BundleTestKit _kit = null!;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    string Dev => _kit.Folder("dev");

    public async ValueTask InitializeAsync() => _kit = await BundleTestKit.StartAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    async Task<BundleHost> StartAsync()
    {
        var host = _kit.Host(_kit.Options() with { DevDirectory = Dev });
        await host.StartAsync(Cancel);
        return host;
    }

    /// <summary>The version the host serves the dev folder's bundle <paramref name="bundle"/> at manifest version
    /// <paramref name="version"/> under (its dev version), or <paramref name="version"/> itself when it serves none.</summary>
    static string Served(IBundleHost host, string bundle, string version) =>
        host.Current.Ready.FirstOrDefault(b => b.Name == bundle && b.Manifest.Version == version && b.Version != version)?.Version ?? version;

    /// <summary>The field of the command's one item, its error message, or null when the version just looked up was
    /// retired before it could be leased (an edit being swapped in: the caller asks again).</summary>
    static async Task<string?> TextAsync(IBundleHost host, string bundle, string version, string command, string field, params string[] arguments)
    {
        using var lease = host.TryAcquire(bundle, Served(host, bundle, version));
        if (lease is null)
        {
            return null;
        }
        var outcome = await RunAsync(host, lease.Bundle, command, arguments);
        return outcome.Status == CommandStatus.Ok ? Assert.Single(outcome.Items).GetProperty(field).GetString() : outcome.Message;
    }

    /// <summary>Invokes until the output is <paramref name="expected"/>: the time from the edit to the first invocation
    /// that runs the new code. Recorded in the test output (the target is under a second), asserted only within 10 s.</summary>
    static async Task<TimeSpan> ElapsedUntilAsync(long edited, Func<Task<string?>> invoke, string expected)
    {
        string? last = null;
        while (Stopwatch.GetElapsedTime(edited) < TimeSpan.FromSeconds(10))
        {
            last = await invoke();
            if (last == expected)
            {
                return Stopwatch.GetElapsedTime(edited);
            }
            await Task.Delay(10, Cancel);
        }
        Assert.Fail($"After 10 s the output is still '{last}', not '{expected}'.");
        return TimeSpan.Zero;
    }

    [Fact]
    public async Task With_the_warm_up_on_the_dev_folder_is_served_only_once_the_script_compiler_is_warm()
    {
        _kit.Example("echo-script", "dev/echo-script");
        var host = _kit.Host(_kit.Options() with { DevDirectory = Dev, WarmUpScripts = true });

        await host.StartAsync(Cancel);

        // The first edit after a start is then a compile with a warm compiler, as fast as every later one.
        Assert.True(host.WarmUp.IsCompletedSuccessfully);
        Assert.Equal(["echo-script"], host.Current.Ready.Select(b => b.Name));
    }

    [Fact]
    public async Task Every_bundle_folder_is_ready_with_the_digest_of_the_package_it_would_make()
    {
        var script = _kit.Example("echo-script", "dev/echo-script");
        var greeter = _kit.Greeter(PluginFixtures.GreeterV1, "1.0.0", "dev/greeter");
        Directory.CreateDirectory(Path.Combine(Dev, "notes")); // no manifest: not a bundle

        var host = await StartAsync();

        Assert.Equal(["echo-script", "greeter"], host.Current.Ready.Select(b => b.Name));
        Assert.Empty(host.Current.Failures);
        var (scriptBundle, greeterBundle) = (host.Current.Ready[0], host.Current.Ready[1]);
        Assert.Equal(Archive(script).Digest, scriptBundle.Digest);
        Assert.Equal(Archive(greeter).Digest, greeterBundle.Digest);
        // Announced under the dev version naming this content, as the server installs it.
        Assert.Equal(DevVersions.Of("0.1.0", scriptBundle.Digest), scriptBundle.Version);
        Assert.Equal(DevVersions.Of("1.0.0", greeterBundle.Digest), greeterBundle.Version);
        Assert.Equal(script, scriptBundle.Directory);
        Assert.StartsWith(Path.Combine(_kit.CacheDirectory, "dev"), greeterBundle.Directory, StringComparison.Ordinal);
        Assert.Equal("hello", await TextAsync(host, "echo-script", "0.1.0", "say", "text", "hello"));
        Assert.Equal("Hello, Ada", await TextAsync(host, "greeter", "1.0.0", "greet", "greeting", "Ada"));
    }

    [Fact]
    public async Task The_dev_version_the_server_assigns_back_is_served_from_the_folder_without_a_download()
    {
        var script = _kit.Example("echo-script", "dev/echo-script");
        var host = await StartAsync();
        var served = Assert.Single(host.Current.Ready);

        // What the server does with a dev version its dev relay announced: installs the folder's package under the dev
        // version and assigns it back to the relay, with the URL of that package (whose manifest holds 0.1.0).
        var package = Archive(script);
        var published = _kit.Publish(package) with { Version = served.Version };
        await host.ApplyAsync(Assignments(1, published), Cancel);

        Assert.Equal(served, Assert.Single(host.Current.Ready));
        Assert.Empty(host.Current.Failures);
        Assert.Equal(0, _kit.Server.TotalRequests);
        Assert.Equal("hello", await TextAsync(host, "echo-script", "0.1.0", "say", "text", "hello"));
    }

    [Fact]
    public async Task The_built_in_operable_bundle_in_a_dev_folder_is_not_served_by_the_relay()
    {
        _kit.Example("echo-script", "dev/echo-script");
        BundleTestKit.Copy(Path.Combine(RepositoryPaths.Root, "bundles", "operable"), Path.Combine(Dev, "operable"));

        var host = await StartAsync();

        Assert.Equal(["echo-script"], host.Current.Ready.Select(b => b.Name));
        Assert.Empty(host.Current.Failures);
    }

    [Fact]
    public async Task A_manifest_the_yaml_parser_cannot_read_is_reported_and_the_other_bundles_are_served()
    {
        _kit.Example("echo-script", "dev/echo-script");
        var broken = Directory.CreateDirectory(Path.Combine(Dev, "broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "config.yaml"), "cog_bundle_version: 6\nname: broken\ndescription: !!str[\n");

        var host = await StartAsync();

        Assert.Equal(["echo-script"], host.Current.Ready.Select(b => b.Name));
        var failure = Assert.Single(host.Current.Failures);
        Assert.Equal("""
            The bundle's manifest is invalid:
            broken/config.yaml:3:14: YAML syntax error: Global tags must be valid URIs.
            """, failure.Message);
        Assert.Equal("hello", await TextAsync(host, "echo-script", "0.1.0", "say", "text", "hello"));
    }

    [Fact]
    public async Task The_dev_folder_itself_is_the_bundle_when_it_holds_a_manifest()
    {
        BundleTestKit.Copy(_kit.Example("echo-script"), Dev);

        var host = await StartAsync();

        Assert.Equal(Dev, Assert.Single(host.Current.Ready).Directory);
    }

    [Fact]
    public async Task An_edited_script_runs_its_new_code_at_the_next_invocation_and_its_digest_is_announced()
    {
        var folder = _kit.Example("echo-script", "dev/echo-script");
        var host = await StartAsync();
        var before = Assert.Single(host.Current.Ready).Digest;
        Assert.Equal("hi", await TextAsync(host, "echo-script", "0.1.0", "say", "text", "hi"));

        var edited = Stopwatch.GetTimestamp();
        File.WriteAllText(Path.Combine(folder, "scripts", "say.csx"), "return new { text = \"v2 \" + Args.JoinText() };");
        var elapsed = await ElapsedUntilAsync(edited, () => TextAsync(host, "echo-script", "0.1.0", "say", "text", "hi"), "v2 hi");

        TestContext.Current.TestOutputHelper?.WriteLine($"edit -> new script output: {elapsed.TotalMilliseconds:F0} ms");
        await WaitUntilAsync(() => host.Current.Ready is [{ } b] && b.Digest != before, "the new digest is announced");
        Assert.Equal(Archive(folder).Digest, Assert.Single(host.Current.Ready).Digest);
    }

    [Fact]
    public async Task A_rebuilt_plugin_assembly_runs_its_new_code_without_a_restart_and_the_old_builds_workers_are_closed()
    {
        var folder = _kit.Greeter(PluginFixtures.GreeterV1, "1.0.0", "dev/greeter");
        var host = await StartAsync();
        Assert.Equal("Hello, Ada", await TextAsync(host, "greeter", "1.0.0", "greet", "greeting", "Ada"));
        var oldSnapshot = Assert.Single(host.Current.Ready).Directory;

        // What a rebuild does: the build output in lib/ is overwritten in place.
        var edited = Stopwatch.GetTimestamp();
        BundleTestKit.Copy(PluginFixtures.Folder(PluginFixtures.GreeterV2), Path.Combine(folder, "lib"));
        var elapsed = await ElapsedUntilAsync(edited, () => TextAsync(host, "greeter", "1.0.0", "greet", "greeting", "Ada"), "Welcome back, Ada!");

        TestContext.Current.TestOutputHelper?.WriteLine($"rebuild -> new assembly output: {elapsed.TotalMilliseconds:F0} ms");
        await WaitUntilAsync(() => !Directory.Exists(oldSnapshot), "the old snapshot is deleted");
        var current = Assert.Single(host.Current.Ready);
        Assert.NotNull(host.Workers.PoolOf(current.Directory));
        Assert.Null(host.Workers.PoolOf(oldSnapshot));
    }

    [Fact]
    public async Task A_manifest_error_is_announced_with_its_location_until_it_is_fixed()
    {
        var folder = _kit.Greeter(PluginFixtures.GreeterV1, "1.0.0", "dev/greeter");
        var host = await StartAsync();
        var manifest = Path.Combine(folder, "config.yaml");
        var good = File.ReadAllText(manifest);

        File.WriteAllText(manifest, good.Replace("    type: Cog.Fixtures.Greeter.Greet", "    tipe: Cog.Fixtures.Greeter.Greet", StringComparison.Ordinal));
        await WaitUntilAsync(() => host.Current.Failures.Length == 1, "the failure is announced");

        Assert.Empty(host.Current.Ready);
        Assert.Null(host.TryAcquire("greeter", Served(host, "greeter", "1.0.0")));
        var failure = host.Current.Failures[0];
        Assert.Equal(("greeter", "1.0.0"), (failure.Name, failure.Version));
        Assert.Equal("""
            The bundle's manifest is invalid:
            greeter/config.yaml:7:3: A command must have exactly one of 'executable', 'script' or 'type'.
            greeter/config.yaml:8:5: Property 'tipe' is not allowed.
            """, failure.Message);

        File.WriteAllText(manifest, good);
        await WaitUntilAsync(() => host.Current.Ready.Length == 1, "the fixed bundle is ready again");
        Assert.Empty(host.Current.Failures);
    }

    [Fact]
    public async Task A_new_bundle_folder_is_served_and_a_deleted_one_is_dropped()
    {
        Directory.CreateDirectory(Dev);
        var host = await StartAsync();
        Assert.Empty(host.Current.Ready);

        var folder = _kit.Example("echo-script", "dev/echo-script");
        await WaitUntilAsync(() => host.Current.Ready.Length == 1, "the new folder is served");
        Assert.Equal("x", await TextAsync(host, "echo-script", "0.1.0", "say", "text", "x"));

        Directory.Delete(folder, recursive: true);
        await WaitUntilAsync(() => host.Current.Ready.Length == 0, "the deleted folder is dropped");
        Assert.Null(host.TryAcquire("echo-script", Served(host, "echo-script", "0.1.0")));
    }

    [Fact]
    public async Task Two_folders_with_the_same_bundle_version_serve_the_first_and_report_the_second()
    {
        var first = _kit.Example("echo-script", "dev/a");
        _kit.Example("echo-script", "dev/b");

        var host = await StartAsync();

        Assert.Equal(first, Assert.Single(host.Current.Ready).Directory);
        Assert.Equal($"The bundle 'echo-script' version '0.1.0' is already served from the dev folder '{first}'.", Assert.Single(host.Current.Failures).Message);
    }

    [Fact]
    public async Task A_dev_bundle_is_served_under_its_dev_version_and_an_assigned_version_from_its_package()
    {
        var folder = _kit.Example("echo-script", "dev/echo-script");
        var host = await StartAsync();
        var package = Archive(_kit.Example("echo-script"));

        await host.ApplyAsync(Assignments(1, _kit.Publish(package)), Cancel);

        // Same content, two versions: the folder's dev version from the folder, the assigned 0.1.0 from its package.
        Assert.Equal([(DevVersions.Of("0.1.0", package.Digest), folder), ("0.1.0", null)],
            host.Current.Ready.Select(b => (b.Version, b.Directory == folder ? folder : null)).OrderByDescending(b => b.Version.Length));
        Assert.All(host.Current.Ready, b => Assert.Equal(package.Digest, b.Digest));
    }

    [Fact]
    public async Task An_old_build_stays_loaded_while_a_lease_on_it_is_held()
    {
        var folder = _kit.Greeter(PluginFixtures.GreeterV1, "1.0.0", "dev/greeter");
        var host = await StartAsync();
        using var lease = host.TryAcquire("greeter", Served(host, "greeter", "1.0.0"));
        Assert.NotNull(lease);

        BundleTestKit.Copy(PluginFixtures.Folder(PluginFixtures.GreeterV2), Path.Combine(folder, "lib"));
        await WaitUntilAsync(() => host.Current.Ready is [{ } b] && b.Directory != lease.Bundle.Directory, "the new build is served");

        Assert.True(Directory.Exists(lease.Bundle.Directory));
        var outcome = await RunAsync(host, lease.Bundle, "greet", "Ada");
        Assert.Equal("Hello, Ada", Assert.Single(outcome.Items).GetProperty("greeting").GetString());
        Assert.Equal(CommandStatus.Ok, outcome.Status);
    }
}
