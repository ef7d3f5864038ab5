using System.Collections.Concurrent;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Runtime.Mqtt.Tests.Broker;

/// <summary>One embedded broker on an ephemeral loopback port, with its own credential store, log and clients.</summary>
public sealed class BrokerHarness : IAsyncDisposable
{
    public static readonly TimeSpan NegativeWait = TimeSpan.FromMilliseconds(300);
    static readonly TimeSpan PositiveWait = TimeSpan.FromSeconds(5);

    readonly List<IMqttClient> _clients = [];

    BrokerHarness(EmbeddedBroker broker, InMemoryRelayCredentialStore store, CollectingLogger<EmbeddedBroker> log)
    {
        Broker = broker;
        Store = store;
        Log = log;
    }

    public EmbeddedBroker Broker { get; }

    public InMemoryRelayCredentialStore Store { get; }

    public CollectingLogger<EmbeddedBroker> Log { get; }

    public static async Task<BrokerHarness> StartAsync(EmbeddedBrokerOptions? options = null)
    {
        var store = new InMemoryRelayCredentialStore();
        var log = new CollectingLogger<EmbeddedBroker>();
        var broker = await EmbeddedBroker.StartAsync(options ?? new EmbeddedBrokerOptions { Port = 0 }, store, log, TestContext.Current.CancellationToken);
        return new BrokerHarness(broker, store, log);
    }

    public MqttClientOptions Options(string userName, string? password, string clientId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Address.ToString(), Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials(userName, password)
            .WithCleanStart()
            .WithTimeout(PositiveWait)
            .Build();

    /// <summary>Connects and returns the connect result code (a refusal is not an exception here).</summary>
    public async Task<(IMqttClient Client, MqttClientConnectResultCode Code)> TryConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        var result = await client.ConnectAsync(options, TestContext.Current.CancellationToken);
        return (client, result.ResultCode);
    }

    public async Task<IMqttClient> ConnectRelayAsync(string relayId, string token)
    {
        var (client, code) = await TryConnectAsync(Options(relayId, token, EmbeddedBroker.RelayClientIdPrefix + relayId));
        Assert.Equal(MqttClientConnectResultCode.Success, code);
        return client;
    }

    public async Task<IMqttClient> ConnectServerAsync()
    {
        var credentials = Broker.ServerCredentials;
        var (client, code) = await TryConnectAsync(Options(credentials.UserName, credentials.Password, "cog-server-test"));
        Assert.Equal(MqttClientConnectResultCode.Success, code);
        return client;
    }

    public static async Task<MqttClientSubscribeResultCode> SubscribeAsync(IMqttClient client, string filter)
    {
        var result = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            TestContext.Current.CancellationToken);
        return Assert.Single(result.Items).ResultCode;
    }

    public static async Task<MqttClientPublishReasonCode> PublishAsync(IMqttClient client, string topic, string payload, bool retain = false)
    {
        var result = await client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build(),
            TestContext.Current.CancellationToken);
        return result.ReasonCode;
    }

    /// <summary>Collects every message <paramref name="client"/> receives, as (topic, payload).</summary>
    public static Inbox Collect(IMqttClient client)
    {
        var inbox = new Inbox();
        client.ApplicationMessageReceivedAsync += e =>
        {
            inbox.Add(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        return inbox;
    }

    /// <summary>Waits until <paramref name="line"/> has been logged (for effects that happen after the client returns).</summary>
    public async Task WaitForLogAsync(string line)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(20);
        while (!Log.Lines.Contains(line))
        {
            Assert.True(waited < PositiveWait, $"Not logged: {line}");
            await Task.Delay(step, TestContext.Current.CancellationToken);
            waited += step;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            client.Dispose();
        await Broker.DisposeAsync();
        Assert.Empty(Log.Errors);
    }

    public sealed class Inbox
    {
        readonly BlockingCollection<(string Topic, string Payload)> _messages = [];

        public void Add(string topic, string payload) => _messages.Add((topic, payload));

        public (string Topic, string Payload)? Next(TimeSpan wait) =>
            _messages.TryTake(out var message, wait) ? message : null;

        public (string Topic, string Payload) Expect() =>
            Next(PositiveWait) ?? throw new TimeoutException("No message arrived.");
    }
}
