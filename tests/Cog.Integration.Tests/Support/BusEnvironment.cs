using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using Cog.Api.Relays;
using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Relay.Hosting;
using Cog.Relay.Isolation;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Cog.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Integration.Tests.Support;

/// <summary>
/// The server side of the relay bus, for real: a broker (embedded or Mosquitto), the MQTT transport, the registry and
/// the dispatcher, and the package endpoint of Cog.Api on Kestrel (loopback, free port) backed by an in-memory
/// credential store and package source. Relays are started against it in-process or as processes. Everything lives in
/// one temporary folder and is disposed with the environment.
/// </summary>
sealed class BusEnvironment : IAsyncDisposable
{
    /// <summary>The relays that exist (their tokens are in the credential store and, for Mosquitto, its password file).</summary>
    public static readonly ImmutableArray<string> RelayIds = ["relay-a", "relay-b", "relay-c"];

    /// <summary>Times of this suite: the default ack timeout (5 s, generous on a loaded machine), and 1 s of clock
    /// tolerance instead of 2 s (servers and relays share one clock here).</summary>
    public static readonly RelayDispatcherOptions DispatcherOptions = new()
    {
        ClockTolerance = TimeSpan.FromSeconds(1),
    };

    readonly Dictionary<string, string> _tokens;
    readonly List<IAsyncDisposable> _relays = [];
    readonly WebApplication _packageServer;
    int _folders;

    BusEnvironment(string root, Dictionary<string, string> tokens, InMemoryRelayPackageSource packages, WebApplication packageServer,
        Uri packageOrigin, BusBroker broker, MqttRelayTransport transport, RelayDispatcher dispatcher, CollectingLoggerFactory log)
    {
        Root = root;
        _tokens = tokens;
        Packages = packages;
        _packageServer = packageServer;
        PackageOrigin = packageOrigin;
        Broker = broker;
        Transport = transport;
        Dispatcher = dispatcher;
        ServerLog = log;
        Marks = Directory.CreateDirectory(Path.Combine(root, "marks")).FullName;
        // The commands run under users of their own: like /tmp, anyone writes here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Marks, (UnixFileMode)0x3FF);
        }
    }

    /// <summary>The temporary folder: bundle folders, relay caches, marker files.</summary>
    public string Root { get; }

    /// <summary>The folder <c>shell-fixtures</c> commands may write their marks to (every relay's
    /// <c>sandbox:writable</c> for that bundle).</summary>
    public string Marks { get; }

    /// <summary>A new marker file name in <see cref="Marks"/> (the file does not exist yet).</summary>
    public string NewMarker() => Path.Combine(Marks, $"runs-{Interlocked.Increment(ref _folders)}.txt");

    public InMemoryRelayPackageSource Packages { get; }

    /// <summary>The package endpoint's origin, <c>http://127.0.0.1:port</c>: the relays' <c>--server</c>.</summary>
    public Uri PackageOrigin { get; }

    public BusBroker Broker { get; }

    public MqttRelayTransport Transport { get; }

    public RelayDispatcher Dispatcher { get; }

    public RelayRegistry Registry => Dispatcher.Registry;

    /// <summary>What the server side (broker, transport, dispatcher) logged.</summary>
    public CollectingLoggerFactory ServerLog { get; }

    /// <summary>Starts the server side on a broker made by <paramref name="startBroker"/> from the relays' tokens.</summary>
    public static async Task<BusEnvironment> StartAsync(Func<StartContext, Task<BusBroker>> startBroker)
    {
        var token = TestContext.Current.CancellationToken;
        var root = Directory.CreateTempSubdirectory("cog-e2e-").FullName;
        var log = new CollectingLoggerFactory();
        var credentials = new InMemoryRelayCredentialStore();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in RelayIds)
        {
            tokens[id] = credentials.Create(id);
        }
        var packages = new InMemoryRelayPackageSource();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IRelayCredentialStore>(credentials);
        builder.Services.AddSingleton<IRelayPackageSource>(packages);
        var app = builder.Build();
        app.MapRelayPackageEndpoints();
        await app.StartAsync(token);
        var origin = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var broker = await startBroker(new StartContext(credentials, tokens, log, root));
        var transport = new MqttRelayTransport(broker.ServerOptions, log.CreateLogger<MqttRelayTransport>(), TimeProvider.System);
        // The first-heard relay wins a tie (random never picks a later one), so tests know which relay gets a request.
        var dispatcher = new RelayDispatcher(new RelayRegistry(TimeProvider.System), transport, DispatcherOptions, TimeProvider.System,
            log.CreateLogger<RelayDispatcher>(), random: static n => n - 1);
        await transport.StartAsync(dispatcher, token);
        return new BusEnvironment(root, tokens, packages, app, origin, broker, transport, dispatcher, log);
    }

    /// <summary>What a broker needs to know to let the relays and the server in.</summary>
    public sealed record StartContext(IRelayCredentialStore Credentials, IReadOnlyDictionary<string, string> Tokens,
        ILoggerFactory Log, string Folder);

    public string TokenOf(string relayId) => _tokens[relayId];

    /// <summary>A new, empty folder under the root.</summary>
    public string NewFolder(string name) =>
        Directory.CreateDirectory(Path.Combine(Root, $"{name}-{Interlocked.Increment(ref _folders)}")).FullName;

    // ---------------------------------------------------------------- bundles

    /// <summary>Packages a bundle folder as <c>cogctl bundle package</c> does and serves it.</summary>
    public PublishedBundle PublishArchive(string folder)
    {
        using var bytes = new MemoryStream();
        var result = BundlePackage.Create(folder, bytes);
        Assert.True(result.Succeeded, result.Error + string.Join("\n", result.ManifestErrors));
        var package = Packages.Add(result.Contents.Manifest.Name, result.Contents.Manifest.Version, PackageFormat.Archive, bytes.ToArray());
        Assert.Equal(result.Contents.Digest, package.Digest);
        return new PublishedBundle(result.Contents.Manifest, package.Digest, package.Size, PackageFormat.Archive);
    }

    /// <summary>Serves a manifest-only package (a Cog 1.0 bundle whose executables are installed on the relay host).</summary>
    public PublishedBundle PublishManifest(string manifestText)
    {
        var file = Path.Combine(NewFolder("manifest"), "config.yaml");
        File.WriteAllText(file, manifestText);
        var loaded = ManifestLoader.LoadFile(file);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var package = Packages.Add(loaded.Manifest.Name, loaded.Manifest.Version, PackageFormat.Manifest, Encoding.UTF8.GetBytes(manifestText));
        return new PublishedBundle(loaded.Manifest, package.Digest, package.Size, PackageFormat.Manifest);
    }

    /// <summary>A copy of an example bundle without its build folders (bin/, obj/), as a bundle author packages it.</summary>
    public string CopyBundle(string source, string name)
    {
        var target = NewFolder(name);
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

    /// <summary>A plug-in bundle of a fixture project's build: its output in lib/, and <paramref name="manifest"/>.</summary>
    public string PluginBundle(string fixtureProject, string manifest)
    {
        var folder = NewFolder(fixtureProject);
        var lib = Path.Combine(folder, "lib");
        var source = Repository.Fixture(fixtureProject);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(lib, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        File.WriteAllText(Path.Combine(folder, "config.yaml"), manifest);
        return folder;
    }

    /// <summary>Assigns <paramref name="bundles"/> (the full set) to <paramref name="relayId"/>: the package endpoint lets it
    /// download them, and the retained assignments message tells it to.</summary>
    public async Task AssignAsync(string relayId, long revision, params PublishedBundle[] bundles)
    {
        var assignments = ImmutableArray.CreateBuilder<BundleAssignment>(bundles.Length);
        foreach (var bundle in bundles)
        {
            Packages.Assign(relayId, bundle.Name, bundle.Version);
            var url = new Uri(PackageOrigin, $"/v1/relays/{relayId}/packages/{bundle.Name}/{bundle.Version}");
            assignments.Add(new BundleAssignment(bundle.Name, bundle.Version, bundle.Digest, bundle.Manifest.ManifestVersion, bundle.Format, url, bundle.Size));
        }
        await Transport.PublishAssignmentsAsync(new BundleAssignments(relayId, revision, assignments.MoveToImmutable()), TestContext.Current.CancellationToken);
    }

    // ---------------------------------------------------------------- relays

    public RelayOptions RelayOptions(string relayId, string? cacheDirectory = null)
    {
        var options = new RelayOptions
        {
            Id = relayId,
            Token = TokenOf(relayId),
            Broker = Broker.RelayBrokerUri,
            CaCertificateFile = Broker.CaCertificateFile,
            Server = PackageOrigin,
            CacheDirectory = cacheDirectory ?? NewFolder("cache-" + relayId),
            Concurrency = 4,
            KeepAlive = TimeSpan.FromSeconds(10),
            ShutdownGrace = TimeSpan.FromSeconds(5),
            Sandbox = new SandboxOptions
            {
                WritableFolders = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add("shell-fixtures", [Marks]),
            },
        };
        options.Tags.Add("e2e");
        return options;
    }

    /// <summary>Starts a relay in this process and waits until the server sees it online.</summary>
    public async Task<InProcessRelay> StartRelayAsync(string relayId, string? cacheDirectory = null)
    {
        var relay = await InProcessRelay.StartAsync(RelayOptions(relayId, cacheDirectory));
        _relays.Add(relay);
        await Eventually.TrueAsync(() => Registry.Find(relayId) is { State: RelayState.Online } r && r.InstanceId == relay.InstanceId,
            $"relay {relayId} online");
        return relay;
    }

    /// <summary>Starts the relay executable as a separate process (token in a file, as operators should).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public RelayProcess StartRelayProcess(string relayId)
    {
        var tokenFile = Path.Combine(NewFolder("token-" + relayId), "token");
        File.WriteAllText(tokenFile, TokenOf(relayId));
        List<string> arguments =
        [
            "--id", relayId, "--token-file", tokenFile, "--broker", Broker.RelayBrokerUri.ToString(),
            "--server", PackageOrigin.ToString(), "--cache", NewFolder("cache-" + relayId), "--keep-alive", "10",
            "--tag", "e2e", "--sandbox-writable", "shell-fixtures=" + Marks,
        ];
        if (Broker.CaCertificateFile is { } authority)
        {
            arguments.AddRange(["--ca-certificate", authority]);
        }
        var relay = RelayProcess.Start(relayId, arguments);
        _relays.Add(relay);
        return relay;
    }

    /// <summary>Waits until <paramref name="relayId"/> (its instance <paramref name="instanceId"/>, when given) is online
    /// and announced <paramref name="bundle"/> with its digest: the dispatcher may now choose it.</summary>
    public Task WaitUntilServesAsync(string relayId, PublishedBundle bundle, string? instanceId = null, string? because = null) =>
        Eventually.TrueAsync(() => Serves(relayId, bundle, instanceId),
            because ?? $"relay {relayId} to announce {bundle.Name} {bundle.Version}", TimeSpan.FromSeconds(30));

    public bool Serves(string relayId, PublishedBundle bundle, string? instanceId = null) =>
        Registry.Find(relayId) is { State: RelayState.Online } relay
        && (instanceId is null || relay.InstanceId == instanceId)
        && relay.Bundles.Any(b => b.Name == bundle.Name && b.Version == bundle.Version && b.Digest == bundle.Digest);

    // ---------------------------------------------------------------- dispatch

    /// <summary>A request for one command of <paramref name="bundle"/>, as the pipeline engine builds it.</summary>
    public static DispatchRequest Request(PublishedBundle bundle, string command, object[]? args = null,
        IReadOnlyDictionary<string, object>? options = null, object? input = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? configuration = null, ItemStep step = ItemStep.Last)
    {
        var opts = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in options ?? new Dictionary<string, object>())
        {
            opts[name] = JsonSerializer.SerializeToElement(value);
        }
        return new DispatchRequest(
            bundle.Name, bundle.Version, bundle.Digest, command,
            [.. (args ?? []).Select(a => JsonSerializer.SerializeToElement(a))],
            opts.ToImmutable(),
            JsonSerializer.SerializeToElement(input ?? new { }),
            step,
            new InvocationCaller("alice", "alice.w", "alice@example.com"),
            new InvocationRoom("ops", false),
            (configuration ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
            "invocation-" + Guid.NewGuid().ToString("N"),
            "pipeline-" + Guid.NewGuid().ToString("N"),
            0,
            timeout ?? TimeSpan.FromSeconds(20));
    }

    public Task<DispatchOutcome> DispatchAsync(DispatchRequest request, CancellationToken? cancellationToken = null) =>
        Dispatcher.DispatchAsync(request, cancellationToken ?? TestContext.Current.CancellationToken);

    /// <summary>Dispatches and expects the relay to have answered with status ok; returns the result's items.</summary>
    public async Task<ImmutableArray<JsonElement>> RunOkAsync(DispatchRequest request, string? expectedRelay = null)
    {
        var outcome = await DispatchAsync(request);
        Assert.True(outcome.Status == DispatchStatus.Completed, $"{outcome.Status}: {outcome.Message}");
        Assert.True(outcome.Result!.Status == ResultStatus.Ok, $"{outcome.Result.Status}: {outcome.Result.Message}");
        if (expectedRelay is not null)
        {
            Assert.Equal(expectedRelay, outcome.RelayId);
        }
        return outcome.Result.Items;
    }

    /// <summary>Dispatches and expects the relay's error result; returns its message.</summary>
    public async Task<string> RunErrorAsync(DispatchRequest request)
    {
        var outcome = await DispatchAsync(request);
        Assert.True(outcome.Status == DispatchStatus.Completed, $"{outcome.Status}: {outcome.Message}");
        Assert.True(outcome.Result!.Status == ResultStatus.Error, $"expected an error, got {outcome.Result.Status}: {JsonSerializer.Serialize(outcome.Result.Items)}");
        return outcome.Result.Message!;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _relays.Count - 1; i >= 0; i--)
        {
            await _relays[i].DisposeAsync();
        }
        Dispatcher.Dispose();
        await Transport.DisposeAsync();
        await Broker.DisposeAsync();
        await _packageServer.StopAsync(CancellationToken.None);
        await _packageServer.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder (e.g. a file still held by an orphaned command) does not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
