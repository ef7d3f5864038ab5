using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Mqtt.Tests.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using MQTTnet.Protocol;

namespace Cog.Runtime.Mqtt.Tests.Transport;

/// <summary>The server side of the bus end to end: <see cref="MqttRelayTransport"/> and <see cref="RelayDispatcher"/>
/// against the embedded broker and a real Mosquitto, with simulated relays.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MqttRelayTransportTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task A_command_goes_to_a_relay_and_its_result_comes_back(string broker)
    {
        await using var bus = await TestBus.StartAsync(broker);
        var relay = await bus.ConnectRelayAsync("relay-a", RelayBehaviour.AckAndAnswer);

        var outcome = await bus.Dispatcher.DispatchAsync(TestBus.Request("web-7"), Token);

        Assert.Equal((DispatchStatus.Completed, "relay-a", 1), (outcome.Status, outcome.RelayId, outcome.Attempts));
        var item = Assert.Single(outcome.Result!.Items);
        Assert.Equal("web-7", item.GetProperty("echo").GetString());
        var (request, message) = await relay.NextInvocationAsync();
        Assert.Equal(outcome.RequestId, request.RequestId);
        Assert.Equal(("application/json", MqttPayloadFormatIndicator.CharacterData, false), (message.ContentType, message.PayloadFormatIndicator, message.Retain));
        Assert.InRange(message.MessageExpiryInterval, 1u, 10u);
        Assert.StartsWith(MqttRelayTransport.ClientIdPrefix, bus.Transport.ClientId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task Malformed_payloads_are_logged_with_the_topic_and_dropped(string broker)
    {
        await using var bus = await TestBus.StartAsync(broker);
        var relay = await bus.ConnectRelayAsync("relay-a", RelayBehaviour.AckAndAnswer);

        await relay.PublishAsync(RelayTopic.Results, Encoding.UTF8.GetBytes("{not json"));
        await relay.PublishAsync(RelayTopic.Status, Encoding.UTF8.GetBytes("""{"v":2,"type":"status"}"""));
        await relay.PublishAsync(RelayTopic.Acks, Encoding.UTF8.GetBytes("""{"v":1,"type":"ack","request_id":"r","relay_id":"relay-a"}"""));

        await TestBus.WaitUntilAsync(() => bus.TransportLog.Lines.Count(l => l.StartsWith("Dropped a message on ", StringComparison.Ordinal)) == 3, "three dropped messages");
        Assert.Contains("Dropped a message on 'cog/v1/relays/relay-a/status': The message is protocol version 2; supported versions: 1.", bus.TransportLog.Lines);
        Assert.Contains("Dropped a message on 'cog/v1/relays/relay-a/acks': The 'ack' message is missing the required field $.started_at.", bus.TransportLog.Lines);
        Assert.Contains(bus.TransportLog.Lines, l => l.StartsWith("Dropped a message on 'cog/v1/relays/relay-a/results': The message is not valid JSON", StringComparison.Ordinal));

        Assert.True(bus.Transport.IsConnected);
        Assert.Equal(DispatchStatus.Completed, (await bus.Dispatcher.DispatchAsync(TestBus.Request(), Token)).Status);
    }

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task A_relay_that_never_acknowledges_is_passed_over_for_the_next(string broker)
    {
        // The silent relay costs one ack window (3 s + 0.5 s); the working relay must ack within the next one.
        await using var bus = await TestBus.StartAsync(broker, ackTimeout: TimeSpan.FromSeconds(3));
        var silent = await bus.ConnectRelayAsync("relay-a", RelayBehaviour.NeverAck, load: 0);
        var working = await bus.ConnectRelayAsync("relay-b", RelayBehaviour.AckAndAnswer, load: 1);

        var outcome = await bus.Dispatcher.DispatchAsync(TestBus.Request(), Token);

        Assert.Equal((DispatchStatus.Completed, "relay-b", 2), (outcome.Status, outcome.RelayId, outcome.Attempts));
        var (first, _) = await silent.NextInvocationAsync();
        var (second, _) = await working.NextInvocationAsync();
        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.Contains(bus.DispatcherLog.Lines, l => l.StartsWith($"Relay relay-a did not acknowledge request {first.RequestId}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task A_relay_that_acknowledges_and_disconnects_gives_the_may_or_may_not_error_and_no_resend(string broker)
    {
        // The ack must arrive within its window (3 s + 0.5 s); the deadline passes 1 s + 0.5 s later.
        await using var bus = await TestBus.StartAsync(broker, ackTimeout: TimeSpan.FromSeconds(3));
        var dying = await bus.ConnectRelayAsync("relay-a", RelayBehaviour.AckThenDisconnect, load: 0);
        var other = await bus.ConnectRelayAsync("relay-b", RelayBehaviour.AckAndAnswer, load: 1);

        var outcome = await bus.Dispatcher.DispatchAsync(TestBus.Request(timeout: TimeSpan.FromSeconds(1)), Token);

        Assert.Equal(DispatchStatus.NoResult, outcome.Status);
        Assert.Equal("The `deploy:release` command was started on relay relay-a but no result arrived by its deadline; it may or may not have completed.", outcome.Message);
        Assert.Equal((1, 0), (dying.InvocationCount, other.InvocationCount));
    }

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task A_cancelled_dispatch_sends_the_relay_a_cancel(string broker)
    {
        await using var bus = await TestBus.StartAsync(broker);
        var relay = await bus.ConnectRelayAsync("relay-a", RelayBehaviour.AckOnly);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var dispatch = bus.Dispatcher.DispatchAsync(TestBus.Request(timeout: TimeSpan.FromSeconds(30)), kill.Token);
        var (request, _) = await relay.NextInvocationAsync();
        // Whether the relay's ack has reached the server yet or not, the relay is told: at once if it has, on arrival
        // of the ack if not.
        await kill.CancelAsync();
        var outcome = await dispatch;

        Assert.Equal(DispatchStatus.Cancelled, outcome.Status);
        var cancel = await relay.NextCancelAsync();
        Assert.Equal((request.RequestId, "relay-a", RelayMessages.CancelReason), (cancel.RequestId, cancel.RelayId, cancel.Reason));
    }

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task Assignments_are_retained_for_a_relay_that_connects_later(string broker)
    {
        await using var bus = await TestBus.StartAsync(broker);
        var assignments = new BundleAssignments("relay-c", 3, [new BundleAssignment("deploy", "1.4.0", SimulatedRelay.Digest, 6,
            PackageFormat.Archive, new Uri("http://127.0.0.1:4000/v1/relays/relay-c/packages/deploy/1.4.0"), 1234)]);

        await bus.Transport.PublishAssignmentsAsync(assignments, Token);
        var relay = await bus.ConnectRelayAsync("relay-c", RelayBehaviour.AckAndAnswer);

        var received = await relay.NextAssignmentsAsync();
        Assert.Equal((3, "deploy"), (received.Revision, Assert.Single(received.Bundles).Name));
    }

    [Fact]
    public async Task The_transport_reconnects_after_losing_its_connection()
    {
        await using var bus = await TestBus.StartAsync(TestBus.Embedded);
        await bus.ConnectRelayAsync("relay-a", RelayBehaviour.AckAndAnswer);
        var reconnections = 0;
        bus.Transport.Connected += (_, _) => Interlocked.Increment(ref reconnections);

        // Another client with the server's client id takes the session over: the broker drops the transport.
        var credentials = bus.Harness!.Broker.ServerCredentials;
        var (intruder, _) = await bus.Harness.TryConnectAsync(bus.Harness.Options(credentials.UserName, credentials.Password, bus.Transport.ClientId));
        await TestBus.WaitUntilAsync(() => bus.TransportLog.Lines.Any(l => l.StartsWith("Lost the connection to the MQTT broker ", StringComparison.Ordinal)), "the lost connection");
        await TestBus.WaitUntilAsync(() => bus.Transport.IsConnected && !intruder.IsConnected, "the reconnection");

        var outcome = await bus.Dispatcher.DispatchAsync(TestBus.Request(), Token);

        Assert.Equal(DispatchStatus.Completed, outcome.Status);
        Assert.Equal(2, bus.TransportLog.Lines.Count(l => l.StartsWith("Connected to the MQTT broker ", StringComparison.Ordinal)));
        // The server publishes the retained assignments again on this signal (a restarted broker has lost them).
        Assert.Equal(1, Volatile.Read(ref reconnections));
    }

    [Theory]
    [InlineData(TestBus.Embedded)]
    [InlineData(TestBus.Mosquitto)]
    public async Task An_invocation_for_a_relay_that_is_not_subscribed_fails_at_once(string broker)
    {
        await using var bus = await TestBus.StartAsync(broker);
        var request = new InvocationRequest("r-1", "i-1", "p-1", 0, "deploy", "1.4.0", "release", [],
            ImmutableSortedDictionary<string, JsonElement>.Empty,
            JsonDocument.Parse("{}").RootElement.Clone(), ItemStep.Last, new InvocationCaller("alice", "alice", null),
            new InvocationRoom("ops", false), ImmutableSortedDictionary<string, string>.Empty,
            TimeProvider.System.GetUtcNow().AddSeconds(5), TimeProvider.System.GetUtcNow().AddSeconds(30), 1000);

        // No relay-b is connected (as after a broker restart, before it subscribed again): nobody would get it.
        var error = await Assert.ThrowsAsync<RelayTransportException>(async () => await bus.Transport.SendInvocationAsync("relay-b", request, Token));

        Assert.Contains("is subscribed to 'cog/v1/relays/relay-b/invocations'; the message reached nobody.", error.Message, StringComparison.Ordinal);
        Assert.False(error.MayHaveBeenDelivered);
    }

    [Fact]
    public async Task Sending_while_disconnected_is_a_transport_exception()
    {
        await using var bus = await TestBus.StartAsync(TestBus.Embedded);
        await using var stopped = new MqttRelayTransport(bus.ServerOptions, new CollectingLogger<MqttRelayTransport>(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<RelayTransportException>(async () =>
            await stopped.SendCancelAsync("relay-a", new InvocationCancel("r", "relay-a"), Token));

        Assert.Contains("Not connected to the MQTT broker", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("tcp://localhost:1883")]
    public void A_broker_uri_that_is_not_mqtt_is_refused(string uri)
    {
        var options = new MqttRelayTransportOptions { BrokerUri = new Uri(uri), UserName = "cog-server", Password = "p" };

        Assert.Throws<ArgumentException>(() => new MqttRelayTransport(options, new CollectingLogger<MqttRelayTransport>(), TimeProvider.System));
    }
}
