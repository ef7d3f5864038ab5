using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Cog.Contracts.Relays;
using MQTTnet;
using MQTTnet.Protocol;

namespace Cog.Runtime.Mqtt.Tests.Transport;

/// <summary>What a <see cref="SimulatedRelay"/> does with an invocation.</summary>
public enum RelayBehaviour
{
    /// <summary>Acks, then answers ok with one item echoing the first argument.</summary>
    AckAndAnswer,

    /// <summary>Never acks (as if it never received the request).</summary>
    NeverAck,

    /// <summary>Acks and never answers (a long-running command).</summary>
    AckOnly,

    /// <summary>Acks, then disconnects before answering (a relay that died mid-command).</summary>
    AckThenDisconnect,
}

/// <summary>A relay made of a plain MQTTnet client logged in as the relay: publishes its status and announcement,
/// records what it receives, and answers invocations according to its behaviour.</summary>
public sealed class SimulatedRelay : IAsyncDisposable
{
    public const string Digest = "sha256:3f9a1c0d5e7b2a4869c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2";
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    readonly IMqttClient _client;
    readonly Channel<(InvocationRequest Request, MqttApplicationMessage Message)> _invocations = Channel.CreateUnbounded<(InvocationRequest, MqttApplicationMessage)>();
    readonly Channel<InvocationCancel> _cancels = Channel.CreateUnbounded<InvocationCancel>();
    readonly Channel<BundleAssignments> _assignments = Channel.CreateUnbounded<BundleAssignments>();
    int _invocationCount;

    SimulatedRelay(string relayId, RelayBehaviour behaviour)
    {
        RelayId = relayId;
        Behaviour = behaviour;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            var payload = message.Payload.ToArray();
            if (message.Topic == Topics.For(RelayId, RelayTopic.Invocations))
            {
                var request = ProtocolSerializer.TryDeserialize<InvocationRequest>(payload).Message!;
                Interlocked.Increment(ref _invocationCount);
                _invocations.Writer.TryWrite((request, message));
                // Answer off MQTTnet's receive loop, as a relay's worker would.
                _ = Task.Run(() => AnswerAsync(request));
            }
            else if (message.Topic == Topics.For(RelayId, RelayTopic.Cancels))
                _cancels.Writer.TryWrite(ProtocolSerializer.TryDeserialize<InvocationCancel>(payload).Message!);
            else if (message.Topic == Topics.For(RelayId, RelayTopic.Assignments))
                _assignments.Writer.TryWrite(ProtocolSerializer.TryDeserialize<BundleAssignments>(payload).Message!);
            return Task.CompletedTask;
        };
    }

    public string RelayId { get; }

    public RelayBehaviour Behaviour { get; }

    public int InvocationCount => Volatile.Read(ref _invocationCount);

    public bool IsConnected => _client.IsConnected;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Connects, subscribes to its server-to-relay topics, and publishes status (online) and an announcement
    /// of deploy 1.4.0.</summary>
    public static async Task<SimulatedRelay> ConnectAsync(MqttClientOptions options, string relayId, RelayBehaviour behaviour, int load = 0, int capacity = 4)
    {
        var relay = new SimulatedRelay(relayId, behaviour);
        var connected = await relay._client.ConnectAsync(options, Token);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var topic in (RelayTopic[])[RelayTopic.Invocations, RelayTopic.Cancels, RelayTopic.Assignments])
            subscribe.WithTopicFilter(Topics.For(relayId, topic), MqttQualityOfServiceLevel.AtLeastOnce);
        await relay._client.SubscribeAsync(subscribe.Build(), Token);
        await relay.PublishAsync(RelayTopic.Status, ProtocolSerializer.Serialize(
            new RelayStatus(relayId, "instance-1", RelayState.Online, "1.0.0", ["test"], capacity, load)), retain: true);
        await relay.PublishAsync(RelayTopic.Announce, ProtocolSerializer.Serialize(
            new BundleAnnouncement(relayId, "instance-1", 1, [new AnnouncedBundle("deploy", "1.4.0", Digest)], [])), retain: true);
        return relay;
    }

    public Task PublishAsync(RelayTopic topic, byte[] payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(RelayId, topic)).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build(), Token);

    async Task AnswerAsync(InvocationRequest request)
    {
        if (Behaviour == RelayBehaviour.NeverAck)
            return;
        await PublishAsync(RelayTopic.Acks, ProtocolSerializer.Serialize(new InvocationAck(request.RequestId, RelayId, TimeProvider.System.GetUtcNow())));
        switch (Behaviour)
        {
            case RelayBehaviour.AckThenDisconnect:
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), Token);
                break;
            case RelayBehaviour.AckAndAnswer:
                var echo = JsonSerializer.SerializeToElement(new { echo = request.Args[0], relay = RelayId });
                await PublishAsync(RelayTopic.Results, ProtocolSerializer.Serialize(
                    new InvocationResult(request.RequestId, RelayId, ResultStatus.Ok, [echo], 3)));
                break;
        }
    }

    public async Task<(InvocationRequest Request, MqttApplicationMessage Message)> NextInvocationAsync() =>
        await Read(_invocations.Reader);

    public async Task<InvocationCancel> NextCancelAsync() => await Read(_cancels.Reader);

    public async Task<BundleAssignments> NextAssignmentsAsync() => await Read(_assignments.Reader);

    static async Task<T> Read<T>(ChannelReader<T> reader)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Wait);
        return await reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
        _client.Dispose();
    }
}
