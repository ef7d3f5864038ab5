using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Cog.Runtime.Mqtt.Broker;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// The floor for the relay round trip: a bare MQTTnet request/response between two clients through the same embedded
/// broker, with the same QoS, topics, credentials and payload sizes as a real invocation, but nothing else — no JSON
/// reading, no registry, no engine. The requester correlates replies by an id in the first eight bytes, as any
/// request/response over MQTT must.
/// </summary>
sealed class MqttFloor : IAsyncDisposable
{
    const string RelayId = "floor";
    readonly IMqttClient _requester;
    readonly IMqttClient _responder;
    readonly ConcurrentDictionary<long, TaskCompletionSource> _pending = new();
    readonly byte[] _request;
    readonly byte[] _reply;
    long _nextId;

    MqttFloor(IMqttClient requester, IMqttClient responder, int requestBytes, int replyBytes)
    {
        _requester = requester;
        _responder = responder;
        _request = new byte[requestBytes];
        _reply = new byte[replyBytes];
    }

    /// <summary>Connects a requester (as the server) and a responder (as a relay) to <paramref name="broker"/>.</summary>
    public static async Task<MqttFloor> StartAsync(EmbeddedBroker broker, string relayToken, int requestBytes, int replyBytes)
    {
        var factory = new MqttClientFactory();
        var requester = factory.CreateMqttClient();
        var responder = factory.CreateMqttClient();
        var floor = new MqttFloor(requester, responder, requestBytes, replyBytes);
        await requester.ConnectAsync(Options(broker, broker.ServerCredentials.UserName, broker.ServerCredentials.Password, "cog-server-floor"));
        await responder.ConnectAsync(Options(broker, RelayId, relayToken, EmbeddedBroker.RelayClientIdPrefix + RelayId));

        var requests = $"cog/v1/relays/{RelayId}/invocations";
        var results = $"cog/v1/relays/{RelayId}/results";
        responder.ApplicationMessageReceivedAsync += e =>
        {
            // Echo the correlation id in a reply of the usual size. Not awaited: MQTTnet handles one received message
            // at a time, so waiting here for the reply's PUBACK would serialize every request (the relay does the same).
            var reply = new byte[floor._reply.Length];
            e.ApplicationMessage.Payload.Slice(0, 8).CopyTo(reply);
            _ = responder.PublishAsync(Message(results, reply));
            return Task.CompletedTask;
        };
        requester.ApplicationMessageReceivedAsync += e =>
        {
            var id = ReadId(e.ApplicationMessage.Payload);
            if (floor._pending.TryRemove(id, out var waiter))
                waiter.TrySetResult();
            return Task.CompletedTask;
        };
        await responder.SubscribeAsync(requests, MqttQualityOfServiceLevel.AtLeastOnce);
        await requester.SubscribeAsync(results, MqttQualityOfServiceLevel.AtLeastOnce);
        return floor;
    }

    /// <summary>The relay id the responder logs in with; create its credential before <see cref="StartAsync"/>.</summary>
    public static string ResponderRelayId => RelayId;

    /// <summary>One request and its reply.</summary>
    public async Task RoundTripAsync()
    {
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        var payload = new byte[_request.Length];
        BinaryPrimitives.WriteInt64LittleEndian(payload, id);
        await _requester.PublishAsync(Message($"cog/v1/relays/{RelayId}/invocations", payload));
        await waiter.Task;
    }

    static long ReadId(ReadOnlySequence<byte> payload)
    {
        Span<byte> id = stackalloc byte[8];
        payload.Slice(0, 8).CopyTo(id);
        return BinaryPrimitives.ReadInt64LittleEndian(id);
    }

    static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    static MqttClientOptions Options(EmbeddedBroker broker, string user, string password, string clientId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Address.ToString(), broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials(user, password)
            .WithCleanStart()
            .Build();

    public async ValueTask DisposeAsync()
    {
        await _requester.DisconnectAsync();
        await _responder.DisconnectAsync();
        _requester.Dispose();
        _responder.Dispose();
    }
}
