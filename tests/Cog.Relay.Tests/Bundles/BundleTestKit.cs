using System.Collections.Concurrent;
using Cog.Relay.Tests.Support;
using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Relay.Bundles;
using Cog.Relay.Execution;
using Cog.Relay.Tests.Execution.Assemblies;
using Microsoft.Extensions.Logging;
using Cog.Testing;

namespace Cog.Relay.Tests.Bundles;

/// <summary>A temporary folder (cache, bundle folders), a loopback package server, and bundle hosts on them; builds
/// packages from real bundle folders and assignments for them.</summary>
sealed class BundleTestKit : IAsyncDisposable
{
    public const string RelayId = "relay-7";
    public const string Token = "t0ken-never-logged";

    readonly string _root = Directory.CreateTempSubdirectory("cog-bundle-tests-").FullName;
    readonly HttpClient _http = new();
    readonly List<BundleHost> _hosts = [];

    BundleTestKit(PackageServer server) => Server = server;

    public PackageServer Server { get; }

    public string CacheDirectory => Path.Combine(_root, "cache");

    public BundleTestLogger Log { get; } = new();

    public static async Task<BundleTestKit> StartAsync() => new(await PackageServer.StartAsync(RelayId, Token));

    public BundleHostOptions Options(string? token = null) =>
        new(RelayId, token ?? Token, Server.Origin, CacheDirectory) { WarmUpScripts = false, Sandbox = TestSandbox.Instance };

    /// <summary>A new host on the kit's cache folder (disposed with the kit).</summary>
    public BundleHost Host(BundleHostOptions? options = null, TimeProvider? time = null)
    {
        var host = new BundleHost(options ?? Options(), _http, Log, time ?? TimeProvider.System);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A folder of the kit: <paramref name="name"/> under the temporary root.</summary>
    public string Folder(string name) => Path.Combine(_root, name);

    /// <summary>A copy of an example bundle (bundles/examples/<paramref name="example"/>) in the kit's folder.</summary>
    public string Example(string example, string? target = null) =>
        Copy(RepositoryPaths.Example(example), Folder(target ?? example));

    /// <summary>A plug-in bundle "greeter" of <paramref name="version"/> whose lib/ holds the build of a fixture project.</summary>
    public string Greeter(string fixtureProject, string version, string? target = null)
    {
        var folder = Folder(target ?? "greeter-" + version);
        Copy(PluginFixtures.Folder(fixtureProject), Path.Combine(folder, "lib"));
        File.WriteAllText(Path.Combine(folder, "config.yaml"), FixtureManifests.Greeter(version));
        return folder;
    }

    /// <summary>The package <c>cogctl bundle package</c> builds from <paramref name="folder"/>.</summary>
    public static Package Archive(string folder)
    {
        using var bytes = new MemoryStream();
        var result = BundlePackage.Create(folder, bytes);
        Assert.True(result.Succeeded, result.Error + string.Join("\n", result.ManifestErrors));
        return new Package(bytes.ToArray(), result.Contents.Digest, result.Contents.Manifest, PackageFormat.Archive);
    }

    /// <summary>A <c>manifest</c> package: the manifest file's bytes.</summary>
    public static Package ManifestOnly(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var loaded = ManifestLoader.LoadFile(file);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return new Package(bytes, BundlePackage.Digest(new MemoryStream(bytes)), loaded.Manifest, PackageFormat.Manifest);
    }

    /// <summary>Serves <paramref name="package"/> and returns its assignment.</summary>
    public BundleAssignment Publish(Package package)
    {
        var url = Server.Serve(PathOf(package), package.Bytes);
        return Assignment(package, url);
    }

    public static string PathOf(Package package) =>
        $"/v1/relays/{RelayId}/packages/{package.Manifest.Name}/{package.Manifest.Version}";

    public static BundleAssignment Assignment(Package package, Uri url) =>
        new(package.Manifest.Name, package.Manifest.Version, package.Digest, package.Manifest.ManifestVersion, package.Format, url, package.Bytes.Length);

    public static BundleAssignments Assignments(long revision, params BundleAssignment[] bundles) => new(RelayId, revision, [.. bundles]);

    /// <summary>Runs <paramref name="command"/> of a ready bundle version under a lease, as the invocation runner does.</summary>
    public static async Task<ExecutionOutcome> RunAsync(IBundleHost host, string bundle, string version, string command, params string[] arguments)
    {
        using var lease = host.TryAcquire(bundle, version);
        Assert.NotNull(lease);
        return await RunAsync(host, lease.Bundle, command, arguments);
    }

    public static Task<ExecutionOutcome> RunAsync(IBundleHost host, ReadyBundle bundle, string command, params string[] arguments)
    {
        var manifest = bundle.Manifest.FindCommand(command);
        Assert.NotNull(manifest);
        var context = PluginFixtures.Invocation(bundle.Name, bundle.Directory, manifest.Target, arguments, command: command).Context;
        var invocation = new CommandInvocation(context, manifest, bundle.Directory, Image: bundle.Manifest.Docker);
        return host.EngineFor(bundle, manifest.Kind).RunAsync(invocation, ExecutionLimits.Default, TestContext.Current.CancellationToken);
    }

    /// <summary>Waits (up to 20 s) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 2000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.True(condition(), "timed out waiting until " + what);
    }

    public static string Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj"))
            {
                continue;
            }
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        _http.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder does not fail a test.
        }
    }
}

/// <summary>A bundle package built for a test.</summary>
sealed record Package(byte[] Bytes, string Digest, BundleManifest Manifest, PackageFormat Format);

/// <summary>A logger that keeps every formatted message.</summary>
sealed class BundleTestLogger : ILogger<BundleHost>
{
    readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}
