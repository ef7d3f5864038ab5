using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Relay.Hosting;
using Cog.Resilience;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using Cog.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Relay.Tests.Support;

/// <summary>
/// A real embedded broker on a free loopback port, a test "server" (a plain MQTTnet client logged in with the broker's
/// server credentials, subscribed to every relay's status, announce, acks and results, answering every result with a
/// receipt as a server does unless <see cref="SendReceipts"/> is off), and one relay host started in-process over a
/// <see cref="TestBundleHost"/>.
/// </summary>
sealed class RelayHarness : IAsyncDisposable
{
    public const string RelayId = "relay-test-1";

    readonly InMemoryRelayCredentialStore _store = new();
    readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();
    IMqttClient? _server;
    int _port;

    RelayHarness()
    {
        Token = _store.Create(RelayId);
    }

    public EmbeddedBroker Broker { get; private set; } = null!;

    public string Token { get; }

    public InMemoryRelayCredentialStore CredentialStore => _store;

    public TestBundleHost Bundles { get; } = new();

    public CollectingLoggerFactory Log { get; } = new();

    public RelayHost? Relay { get; private set; }

    public IReadOnlyList<(string Topic, string Payload)> Messages => [.. _messages];

    /// <summary>Whether the test server answers each result with a receipt (default); off, the relay keeps publishing it.</summary>
    public bool SendReceipts { get; set; } = true;

    public static async Task<RelayHarness> StartAsync()
    {
        var harness = new RelayHarness();
        await harness.StartBrokerAsync(0);
        await harness.ConnectServerAsync();
        return harness;
    }

    public RelayOptions Options(int concurrency = 4, string? token = null)
    {
        var options = new RelayOptions
        {
            Id = RelayId,
            Token = token ?? Token,
            Broker = new Uri($"mqtt://127.0.0.1:{_port}"),
            Server = new Uri("http://127.0.0.1:4000"),
            CacheDirectory = Path.Combine(Path.GetTempPath(), "cog-relay-tests"),
            Concurrency = concurrency,
            KeepAlive = TimeSpan.FromSeconds(30),
            ShutdownGrace = TimeSpan.FromSeconds(10),
        };
        options.Tags.Add("test");
        return options;
    }

    public async Task<RelayHost> StartRelayAsync(RelayOptions? options = null, TimeProvider? time = null)
    {
        Relay = await RelayHost.StartAsync(options ?? Options(), Bundles, Log, time ?? TimeProvider.System,
            new BackoffOptions { Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Randomizer = () => 0.5 }, TestContext.Current.CancellationToken);
        return Relay;
    }

    /// <summary>Starts the relay and waits for its first online status and announce.</summary>
    public async Task<RelayHost> StartRelayOnlineAsync(RelayOptions? options = null, TimeProvider? time = null)
    {
        var relay = await StartRelayAsync(options, time);
        await ExpectAsync<BundleAnnouncement>(RelayTopic.Announce, a => a.InstanceId == relay.InstanceId);
        return relay;
    }

    public async Task StopBrokerAsync()
    {
        _server?.Dispose();
        _server = null;
        await Broker.DisposeAsync();
    }

    /// <summary>A new embedded broker on the same port (as after a broker restart), and the server logged in again.</summary>
    public async Task RestartBrokerAsync()
    {
        await StopBrokerAsync();
        await StartBrokerAsync(_port);
        await ConnectServerAsync();
    }

    async Task StartBrokerAsync(int port)
    {
        Broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = port }, _store, NullLogger<EmbeddedBroker>.Instance,
            TestContext.Current.CancellationToken);
        _port = Broker.Port;
    }

    async Task ConnectServerAsync()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.ConvertPayloadToString();
            _messages.Enqueue((e.ApplicationMessage.Topic, payload));
            if (SendReceipts && Topics.TryParse(e.ApplicationMessage.Topic, out _, out var topic) && topic == RelayTopic.Results
                && ProtocolSerializer.TryDeserialize<InvocationResult>(Encoding.UTF8.GetBytes(payload)) is { IsSuccess: true } result)
            {
                // Not awaited here: the PUBACK is read by the receive loop this handler runs on.
                _ = Task.Run(() => SendAsync(new InvocationReceipt(result.Message.RequestId, result.Message.RelayId)));
            }
            return Task.CompletedTask;
        };
        var credentials = Broker.ServerCredentials;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Address.ToString(), Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-server-test-" + Guid.NewGuid().ToString("N"))
            .WithCredentials(credentials.UserName, credentials.Password)
            .WithCleanStart()
            .Build();
        var result = await client.ConnectAsync(options, TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var topic in new[] { RelayTopic.Status, RelayTopic.Announce, RelayTopic.Acks, RelayTopic.Results })
        {
            subscribe.WithTopicFilter(Topics.ForAllRelays(topic), MqttQualityOfServiceLevel.AtLeastOnce);
        }
        await client.SubscribeAsync(subscribe.Build(), TestContext.Current.CancellationToken);
        _server = client;
    }

    /// <summary>The test server stops listening to <paramref name="topic"/> of every relay (as after a broker restart,
    /// before the server has subscribed again).</summary>
    public async Task UnsubscribeAsync(RelayTopic topic)
    {
        Assert.NotNull(_server);
        await _server.UnsubscribeAsync(Topics.ForAllRelays(topic), TestContext.Current.CancellationToken);
    }

    /// <summary>The test server listens to <paramref name="topic"/> of every relay again.</summary>
    public async Task SubscribeAsync(RelayTopic topic)
    {
        Assert.NotNull(_server);
        await _server.SubscribeAsync(Topics.ForAllRelays(topic), MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
    }

    /// <summary>Publishes a payload as the server, on one of the relay's topics.</summary>
    public async Task PublishAsync(RelayTopic topic, string payload, bool retain = false)
    {
        Assert.NotNull(_server);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(RelayId, topic))
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        await _server.PublishAsync(message, TestContext.Current.CancellationToken);
    }

    public Task SendAsync(InvocationRequest request) =>
        PublishAsync(RelayTopic.Invocations, Encoding.UTF8.GetString(ProtocolSerializer.Serialize(request)));

    public Task SendAsync(InvocationCancel cancel) =>
        PublishAsync(RelayTopic.Cancels, Encoding.UTF8.GetString(ProtocolSerializer.Serialize(cancel)));

    public Task SendAsync(InvocationReceipt receipt) =>
        PublishAsync(RelayTopic.Receipts, Encoding.UTF8.GetString(ProtocolSerializer.Serialize(receipt)));

    public Task SendAsync(BundleAssignments assignments) =>
        PublishAsync(RelayTopic.Assignments, Encoding.UTF8.GetString(ProtocolSerializer.Serialize(assignments)), retain: true);

    /// <summary>Every message of type <typeparamref name="T"/> the server received on <paramref name="topic"/>.</summary>
    public IReadOnlyList<T> Received<T>(RelayTopic topic)
        where T : ProtocolMessage
    {
        var name = Topics.For(RelayId, topic);
        var messages = new List<T>();
        foreach (var (t, payload) in _messages)
        {
            if (t == name)
            {
                var read = ProtocolSerializer.TryDeserialize<T>(Encoding.UTF8.GetBytes(payload));
                Assert.True(read.IsSuccess, read.Error);
                messages.Add(read.Message);
            }
        }
        return messages;
    }

    public async Task<T> ExpectAsync<T>(RelayTopic topic, Func<T, bool> match)
        where T : ProtocolMessage
    {
        var found = await Wait.UntilAsync(() => Received<T>(topic).FirstOrDefault(match));
        return found ?? throw new TimeoutException(
            $"No matching {typeof(T).Name} on {topic}. Received:\n{string.Join("\n", Messages.Select(m => m.Topic + " " + m.Payload))}\nLog:\n{string.Join("\n", Log.Texts)}");
    }

    public Task<InvocationAck> ExpectAckAsync(string requestId) => ExpectAsync<InvocationAck>(RelayTopic.Acks, a => a.RequestId == requestId);

    public Task<InvocationResult> ExpectResultAsync(string requestId) => ExpectAsync<InvocationResult>(RelayTopic.Results, r => r.RequestId == requestId);

    public bool HasAck(string requestId) => Received<InvocationAck>(RelayTopic.Acks).Any(a => a.RequestId == requestId);

    public bool HasResult(string requestId) => Received<InvocationResult>(RelayTopic.Results).Any(r => r.RequestId == requestId);

    /// <summary>An invocation of one command with the given arguments, startable for 30 s.</summary>
    public static InvocationRequest Invocation(string bundle, string version, string command, object[]? args = null,
        TimeSpan? ackBy = null, long timeoutMs = 20_000, DateTimeOffset? now = null, string? requestId = null)
    {
        var start = now ?? TimeProvider.System.GetUtcNow();
        var ack = start + (ackBy ?? TimeSpan.FromSeconds(30));
        return new InvocationRequest(
            requestId ?? Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "pipeline-" + Guid.NewGuid().ToString("N"), 0,
            bundle, version, command,
            [.. (args ?? []).Select(a => JsonSerializer.SerializeToElement(a))],
            ImmutableSortedDictionary<string, JsonElement>.Empty,
            JsonDocument.Parse("{}").RootElement.Clone(),
            ItemStep.Last,
            new InvocationCaller("alice", "alice.w", "alice@example.com"),
            new InvocationRoom("ops", false),
            ImmutableSortedDictionary<string, string>.Empty,
            ack, ack + TimeSpan.FromMilliseconds(timeoutMs) + TimeSpan.FromSeconds(2), timeoutMs);
    }

    public async ValueTask DisposeAsync()
    {
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
        _server?.Dispose();
        await Broker.DisposeAsync();
        await Bundles.DisposeAsync();
    }
}
