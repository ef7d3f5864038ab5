using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Relay.Bundles;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Hosting;
using Cog.Relay.Isolation;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>Where a relay runs its script and plug-in commands.</summary>
enum CommandPath
{
    /// <summary>In the relay's own process (<see cref="InProcessEngine"/>): the baseline, without isolation.</summary>
    InProcess,

    /// <summary>In worker processes started through the relay's sandbox (<see cref="WorkerEngine"/>): production.</summary>
    Worker,
}

/// <summary>
/// The real relay bus on loopback: the server side (<see cref="MqttRelayTransport"/> + <see cref="RelayDispatcher"/>)
/// and one relay process's worth of code (<see cref="RelayHost"/> + <see cref="BundleHost"/>) serving the example
/// bundles in dev mode (no package download), both on the given embedded broker. Several buses may share one broker:
/// each relay has an id of its own.
/// </summary>
sealed class CogBus : IAsyncDisposable
{
    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    readonly MqttRelayTransport _transport;
    readonly RelayDispatcher _dispatcher;
    readonly BundleHost _bundles;
    readonly RelayHost _relay;
    readonly string _cache;
    readonly string _relayId;

    CogBus(MqttRelayTransport transport, RelayDispatcher dispatcher, BundleHost bundles, RelayHost relay, string cache, string relayId)
    {
        (_transport, _dispatcher, _bundles, _relay, _cache, _relayId) = (transport, dispatcher, bundles, relay, cache, relayId);
    }

    /// <summary>The sandbox bundle code starts in (the workers of the worker path, and executables on both paths): the
    /// relay's own choice with its default settings (bubblewrap when the host offers it), as the relay's Program makes
    /// it. The one place to switch when the relay's choice changes.</summary>
    internal static async Task<ISandbox> RelaySandboxAsync()
    {
        var options = new SandboxOptions();
        return Sandbox.Create(options, await HostIsolation.DetectAsync(options));
    }

    /// <summary>The sandbox's name and what it lacks, for the benchmarks' headers.</summary>
    internal static string Describe(ISandbox sandbox)
    {
        var missing = sandbox.Report.Mechanisms.Where(m => !m.Available).Select(m => m.Name).ToArray();
        return sandbox.GetType().Name + (missing.Length == 0 ? " (complete)" : " (without " + string.Join(", ", missing) + ")");
    }

    /// <summary>The folder of the example bundles the relay serves.</summary>
    internal static string ExamplesDirectory => Path.Combine(RepositoryRoot(), "bundles", "examples");

    /// <param name="path">Where the relay runs script and plug-in commands.</param>
    public static async Task<CogBus> StartAsync(EmbeddedBroker broker, InMemoryRelayCredentialStore credentials, CommandPath path)
    {
        var relayId = path == CommandPath.Worker ? "bench-relay-worker" : "bench-relay-in-process";
        var time = TimeProvider.System;
        var transport = new MqttRelayTransport(MqttRelayTransportOptions.ForEmbeddedBroker(broker), NullLogger<MqttRelayTransport>.Instance, time);
        var dispatcher = new RelayDispatcher(new RelayRegistry(time), transport, new RelayDispatcherOptions(), time,
            NullLogger<RelayDispatcher>.Instance, random: null);
        await transport.StartAsync(dispatcher);

        var token = credentials.Create(relayId);
        var cache = Path.Combine(Path.GetTempPath(), "cog-bench-" + Guid.NewGuid().ToString("N"));
        var examples = ExamplesDirectory;
        var bundleOptions = new BundleHostOptions(relayId, token, null, cache) { DevDirectory = examples, Sandbox = await RelaySandboxAsync() };
        var bundles = path == CommandPath.Worker
            ? new BundleHost(bundleOptions, new HttpClient(), NullLogger<BundleHost>.Instance, time)
            : new BundleHost(bundleOptions, new HttpClient(), NullLogger<BundleHost>.Instance, time, scripts => new InProcessEngine(scripts));
        var options = new RelayOptions
        {
            Id = relayId,
            Token = token,
            Broker = new Uri($"mqtt://127.0.0.1:{broker.Port}"),
            CacheDirectory = cache,
            DevDirectory = examples,
        };
        var relay = await RelayHost.StartAsync(options, bundles, NullLoggerFactory.Instance, time);
        var bus = new CogBus(transport, dispatcher, bundles, relay, cache, relayId);
        await bus.WaitForAnnouncementAsync();
        await bundles.WarmUp;
        return bus;
    }

    /// <summary>The digest the relay announced for each bundle (dev mode: the digest of the folder's package).</summary>
    public ImmutableDictionary<string, AnnouncedBundle> Announced { get; private set; } = ImmutableDictionary<string, AnnouncedBundle>.Empty;

    async Task WaitForAnnouncementAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            var relay = _dispatcher.Registry.Find(_relayId);
            if (relay is { State: RelayState.Online } && relay.Bundles.Any(b => b.Name == "echo-assembly") && relay.Bundles.Any(b => b.Name == "echo-script"))
            {
                Announced = relay.Bundles.ToImmutableDictionary(b => b.Name);
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The relay did not announce the example bundles within 30 s.");
    }

    /// <summary>A no-op invocation of <c>bundle:command</c> with no arguments, as the pipeline engine would send it.</summary>
    public DispatchRequest Request(string bundle, string command)
    {
        var announced = Announced[bundle];
        return new DispatchRequest(announced.Name, announced.Version, announced.Digest, command, [],
            ImmutableSortedDictionary<string, JsonElement>.Empty, EmptyObject, ItemStep.Last,
            new InvocationCaller("alice", "alice"), new InvocationRoom("direct", true),
            ImmutableSortedDictionary<string, string>.Empty, "i-bench", "p-bench", 0, TimeSpan.FromSeconds(30));
    }

    /// <summary>Dispatches and checks that the command really ran.</summary>
    public async Task DispatchAsync(DispatchRequest request)
    {
        var outcome = await _dispatcher.DispatchAsync(request);
        if (outcome.Status != DispatchStatus.Completed || outcome.Result!.Status != ResultStatus.Ok)
            throw new InvalidOperationException($"The invocation failed: {outcome.Status} {outcome.Message ?? outcome.Result?.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.StopAsync();
        await _relay.DisposeAsync();
        await _bundles.DisposeAsync();
        _dispatcher.Dispose();
        await _transport.DisposeAsync();
        try
        {
            Directory.Delete(_cache, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cog.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The benchmarks must run inside the repository (Cog.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
