using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Mqtt.Tests.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cog.Runtime.Mqtt.Tests.Transport;

/// <summary>A broker (the embedded one, or a real Mosquitto with docs/mosquitto/cog.acl) with the server side wired to
/// it: registry, dispatcher and <see cref="MqttRelayTransport"/>; plus simulated relays. Fails the test on any logged
/// error.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestBus : IAsyncDisposable
{
    public const string Embedded = "embedded";
    public const string Mosquitto = "mosquitto";
    public static readonly string[] RelayIds = ["relay-a", "relay-b", "relay-c"];

    readonly BrokerHarness? _harness;
    readonly MosquittoProcess? _mosquitto;
    readonly Dictionary<string, string> _tokens;
    readonly List<SimulatedRelay> _relays = [];

    TestBus(BrokerHarness? harness, MosquittoProcess? mosquitto, Dictionary<string, string> tokens, MqttRelayTransportOptions serverOptions, TimeSpan ackTimeout)
    {
        _harness = harness;
        _mosquitto = mosquitto;
        _tokens = tokens;
        ServerOptions = serverOptions;
        Registry = new RelayRegistry(TimeProvider.System);
        Transport = new MqttRelayTransport(serverOptions, TransportLog, TimeProvider.System);
        Dispatcher = new RelayDispatcher(Registry, Transport, new RelayDispatcherOptions
        {
            AckTimeout = ackTimeout,
            ClockTolerance = TimeSpan.FromMilliseconds(500),
            SweepInterval = TimeSpan.FromMilliseconds(50),
        }, TimeProvider.System, DispatcherLog);
    }

    public MqttRelayTransportOptions ServerOptions { get; }

    public RelayRegistry Registry { get; }

    public MqttRelayTransport Transport { get; }

    public RelayDispatcher Dispatcher { get; }

    public CollectingLogger<MqttRelayTransport> TransportLog { get; } = new();

    public CollectingLogger<RelayDispatcher> DispatcherLog { get; } = new();

    public BrokerHarness? Harness => _harness;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts the broker of <paramref name="kind"/> and connects the server side to it.</summary>
    /// <param name="kind"><see cref="Embedded"/> or <see cref="Mosquitto"/>.</param>
    /// <param name="ackTimeout">The dispatcher's ack timeout: generous by default, so that a loaded machine never
    /// misses an ack; short only where a test waits for it to pass.</param>
    public static async Task<TestBus> StartAsync(string kind, TimeSpan? ackTimeout = null)
    {
        var bus = await CreateAsync(kind, ackTimeout ?? TimeSpan.FromSeconds(10));
        await bus.Transport.StartAsync(bus.Dispatcher, Token);
        return bus;
    }

    static async Task<TestBus> CreateAsync(string kind, TimeSpan ackTimeout)
    {
        if (kind == Embedded)
        {
            var harness = await BrokerHarness.StartAsync();
            var tokens = RelayIds.ToDictionary(id => id, id => harness.Store.Create(id));
            var embedded = MqttRelayTransportOptions.ForEmbeddedBroker(harness.Broker);
            return new TestBus(harness, null, tokens, Fast(embedded.BrokerUri, embedded.UserName, embedded.Password), ackTimeout);
        }
        var users = RelayIds.ToDictionary(id => id, id => "token-" + Guid.NewGuid().ToString("N"));
        var password = "server-" + Guid.NewGuid().ToString("N");
        var mosquitto = await MosquittoProcess.StartAsync(new Dictionary<string, string>(users) { ["cog-server"] = password }, Token);
        return new TestBus(null, mosquitto, users, Fast(new Uri($"mqtt://127.0.0.1:{mosquitto.Port}"), "cog-server", password), ackTimeout);
    }

    static MqttRelayTransportOptions Fast(Uri broker, string userName, string password) => new()
    {
        BrokerUri = broker,
        UserName = userName,
        Password = password,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    };

    public MqttClientOptions RelayOptions(string relayId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _harness?.Broker.Port ?? _mosquitto!.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(EmbeddedBroker.RelayClientIdPrefix + relayId)
            .WithCredentials(relayId, _tokens[relayId])
            .WithCleanStart()
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();

    /// <summary>Connects a simulated relay and waits until the server's registry has it ready.</summary>
    public async Task<SimulatedRelay> ConnectRelayAsync(string relayId, RelayBehaviour behaviour, int load = 0)
    {
        var relay = await SimulatedRelay.ConnectAsync(RelayOptions(relayId), relayId, behaviour, load);
        _relays.Add(relay);
        await WaitUntilAsync(() => Registry.Find(relayId) is { State: RelayState.Online, Bundles.Length: 1 }, $"relay {relayId} ready");
        return relay;
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what) => Eventually.TrueAsync(condition, what);

    public static DispatchRequest Request(string argument = "web-7", TimeSpan? timeout = null) =>
        new("deploy", "1.4.0", SimulatedRelay.Digest, "release",
            [JsonSerializer.SerializeToElement(argument)],
            ImmutableSortedDictionary<string, JsonElement>.Empty,
            JsonSerializer.SerializeToElement(new { }), ItemStep.Last, new InvocationCaller("alice", "alice"),
            new InvocationRoom("ops", false), ImmutableSortedDictionary<string, string>.Empty,
            "inv-1", "pipe-1", 0, timeout ?? TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays)
            await relay.DisposeAsync();
        await Transport.DisposeAsync();
        Dispatcher.Dispose();
        if (_harness is not null)
            await _harness.DisposeAsync();
        if (_mosquitto is not null)
            await _mosquitto.DisposeAsync();
        Assert.Empty(TransportLog.Errors);
        Assert.Empty(DispatcherLog.Errors);
    }
}
