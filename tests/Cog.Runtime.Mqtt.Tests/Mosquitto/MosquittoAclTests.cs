using System.Collections.Concurrent;
using Cog.Contracts.Relays;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Runtime.Mqtt.Tests.Mosquitto;

/// <summary>
/// The same confinement as the embedded broker, with an external broker: a real Mosquitto configured with the
/// password file and the ACL of docs/mosquitto/cog.acl. Each relay reads and writes only its own topics.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MosquittoAclTests : IAsyncLifetime
{
    static readonly TimeSpan NegativeWait = TimeSpan.FromMilliseconds(400);
    static readonly TimeSpan PositiveWait = TimeSpan.FromSeconds(5);
    static readonly Dictionary<string, string> Users = new()
    {
        ["relay-a"] = "token-a-" + Guid.NewGuid().ToString("N"),
        ["relay-b"] = "token-b-" + Guid.NewGuid().ToString("N"),
        ["cog-server"] = "server-" + Guid.NewGuid().ToString("N"),
    };

    readonly List<IMqttClient> _clients = [];
    MosquittoProcess? _broker;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _broker = await MosquittoProcess.StartAsync(Users, Token);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    async Task<(IMqttClient Client, BlockingCollection<(string Topic, string Payload)> Inbox)> ConnectAsync(string user, string? password = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        var inbox = new BlockingCollection<(string, string)>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            inbox.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString()));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker!.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"cog-relay-{user}-{Guid.NewGuid():N}")
            .WithCredentials(user, password ?? Users[user])
            .WithCleanStart()
            .WithTimeout(PositiveWait)
            .Build();
        var result = await client.ConnectAsync(options, Token);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return (client, inbox);
    }

    static async Task<MqttClientSubscribeResultCode> SubscribeAsync(IMqttClient client, string filter)
    {
        var result = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), Token);
        return Assert.Single(result.Items).ResultCode;
    }

    static Task PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Token);

    [Fact]
    public async Task A_wrong_token_is_refused()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker!.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-relay-relay-a").WithCredentials("relay-a", "not-the-token").Build(), Token);

        // Mosquitto 2.0 answers a wrong password with 0x87 Not authorized (the embedded broker says 0x86).
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
    }

    [Theory]
    [InlineData(RelayTopic.Invocations)]
    [InlineData(RelayTopic.Cancels)]
    [InlineData(RelayTopic.Receipts)]
    public async Task A_relay_receives_its_own_requests_but_never_another_relays(RelayTopic topic)
    {
        var (server, _) = await ConnectAsync("cog-server");
        var (relayA, inboxA) = await ConnectAsync("relay-a");
        await SubscribeAsync(relayA, Topics.For("relay-a", topic));
        await SubscribeAsync(relayA, Topics.For("relay-b", topic));

        await PublishAsync(server, Topics.For("relay-b", topic), "for b");
        await PublishAsync(server, Topics.For("relay-a", topic), "for a");

        // Messages from one publisher arrive in order, so once "for a" is here "for b" would have been too.
        Assert.True(inboxA.TryTake(out var first, PositiveWait), "relay-a did not receive its own message");
        Assert.Equal((Topics.For("relay-a", topic), "for a"), first);
        Assert.False(inboxA.TryTake(out var leaked, NegativeWait), $"relay-a read {leaked}");
    }

    [Fact]
    public async Task A_relay_cannot_answer_for_another_relay()
    {
        var (server, serverInbox) = await ConnectAsync("cog-server");
        await SubscribeAsync(server, "cog/v1/relays/+/results");
        var (relayA, _) = await ConnectAsync("relay-a");

        await PublishAsync(relayA, Topics.For("relay-b", RelayTopic.Results), "forged");
        await PublishAsync(relayA, Topics.For("relay-a", RelayTopic.Results), "genuine");

        Assert.True(serverInbox.TryTake(out var first, PositiveWait), "the server did not receive relay-a's own result");
        Assert.Equal((Topics.For("relay-a", RelayTopic.Results), "genuine"), first);
        Assert.False(serverInbox.TryTake(out var forged, NegativeWait), $"the server accepted {forged}");
    }

    [Fact]
    public async Task A_relay_cannot_read_everything_with_a_wildcard()
    {
        var (server, _) = await ConnectAsync("cog-server");
        var (relayA, inboxA) = await ConnectAsync("relay-a");
        // Mosquitto grants the subscription and checks the ACL for every message it would deliver through it.
        await SubscribeAsync(relayA, "cog/v1/relays/#");

        await PublishAsync(server, Topics.For("relay-b", RelayTopic.Assignments), "b's assignments");
        await PublishAsync(server, Topics.For("relay-a", RelayTopic.Assignments), "a's assignments");

        Assert.True(inboxA.TryTake(out var first, PositiveWait), "relay-a did not receive its own assignments");
        Assert.Equal("a's assignments", first.Payload);
        Assert.False(inboxA.TryTake(out var leaked, NegativeWait), $"relay-a read {leaked}");
    }
}
