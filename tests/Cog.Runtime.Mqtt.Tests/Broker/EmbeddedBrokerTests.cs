using Cog.Contracts.Relays;
using Cog.Runtime.Mqtt.Broker;
using MQTTnet;

namespace Cog.Runtime.Mqtt.Tests.Broker;

/// <summary>A real embedded broker on an ephemeral loopback port, exercised by real MQTTnet clients. Every test
/// starts its own broker.</summary>
public sealed class EmbeddedBrokerTests : IAsyncLifetime
{
    BrokerHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await BrokerHarness.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public void An_ephemeral_port_is_reported()
    {
        Assert.NotEqual(0, _harness.Broker.Port);
        Assert.Contains(_harness.Log.Lines, l => l == $"The embedded MQTT broker listens on 127.0.0.1:{_harness.Broker.Port} (mqtt).");
    }

    [Fact]
    public async Task A_relay_connects_with_its_token()
    {
        var token = _harness.Store.Create("relay-a");

        await _harness.ConnectRelayAsync("relay-a", token);

        Assert.Contains("Relay relay-a connected from 127.0.0.1:", string.Join('\n', _harness.Log.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_not_logged()
    {
        _harness.Store.Create("relay-a");
        const string wrong = "not-the-token-0123456789";

        var (_, code) = await _harness.TryConnectAsync(_harness.Options("relay-a", wrong, "cog-relay-relay-a"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.Contains(_harness.Log.Lines, l => l.StartsWith("Refused relay relay-a from 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(": wrong token.", StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Log.Lines, l => l.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_relay_is_refused()
    {
        var (_, code) = await _harness.TryConnectAsync(_harness.Options("relay-x", "whatever", "cog-relay-relay-x"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.Contains(_harness.Log.Lines, l => l.StartsWith("Refused relay relay-x from ", StringComparison.Ordinal) && l.EndsWith(": no such relay.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_disabled_relay_is_refused_with_its_valid_token_not_logged()
    {
        var token = _harness.Store.Create("relay-a", enabled: false);

        var (_, code) = await _harness.TryConnectAsync(_harness.Options("relay-a", token, "cog-relay-relay-a"));

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, code);
        Assert.Contains(_harness.Log.Lines, l => l.EndsWith(": the relay is disabled.", StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Log.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cog-relay-relay-b")]
    [InlineData("something-else")]
    public async Task A_relay_must_use_its_own_client_id(string clientId)
    {
        var token = _harness.Store.Create("relay-a");

        var (_, code) = await _harness.TryConnectAsync(_harness.Options("relay-a", token, clientId));

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, code);
        Assert.Contains(_harness.Log.Lines, l => l.EndsWith($": its client id must be 'cog-relay-relay-a', not '{clientId}'.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Relay-A")]
    [InlineData("relay/a")]
    [InlineData("#")]
    public async Task A_username_that_is_no_relay_id_is_refused(string userName)
    {
        var (_, code) = await _harness.TryConnectAsync(_harness.Options(userName, "x", "c1"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.Contains(_harness.Log.Lines, l => l.EndsWith(": the username is not a valid relay id.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_server_user_needs_the_generated_password()
    {
        var (_, code) = await _harness.TryConnectAsync(_harness.Options(EmbeddedBroker.ServerUserName, "guess", "cog-server-x"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.Contains(_harness.Log.Lines, l => l.EndsWith(": wrong password.", StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Broker.ServerCredentials.Password, _harness.Broker.ServerCredentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relay_receives_its_own_invocations()
    {
        var relay = await _harness.ConnectRelayAsync("relay-a", _harness.Store.Create("relay-a"));
        var inbox = BrokerHarness.Collect(relay);
        var server = await _harness.ConnectServerAsync();

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await BrokerHarness.SubscribeAsync(relay, Topics.For("relay-a", RelayTopic.Invocations)));
        await BrokerHarness.PublishAsync(server, Topics.For("relay-a", RelayTopic.Invocations), "run");

        Assert.Equal(("cog/v1/relays/relay-a/invocations", "run"), inbox.Expect());
    }

    [Fact]
    public async Task A_relay_cannot_subscribe_to_another_relays_invocations()
    {
        var relayA = await _harness.ConnectRelayAsync("relay-a", _harness.Store.Create("relay-a"));
        var relayB = await _harness.ConnectRelayAsync("relay-b", _harness.Store.Create("relay-b"));
        var inboxA = BrokerHarness.Collect(relayA);
        var inboxB = BrokerHarness.Collect(relayB);
        var server = await _harness.ConnectServerAsync();

        var code = await BrokerHarness.SubscribeAsync(relayA, "cog/v1/relays/relay-b/invocations");
        await BrokerHarness.SubscribeAsync(relayB, "cog/v1/relays/relay-b/invocations");
        await BrokerHarness.PublishAsync(server, "cog/v1/relays/relay-b/invocations", "secret");

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, code);
        Assert.Equal("secret", inboxB.Expect().Payload);
        Assert.Null(inboxA.Next(BrokerHarness.NegativeWait));
        Assert.Contains("Denied relay-a (client cog-relay-relay-a) the subscription to 'cog/v1/relays/relay-b/invocations'.", _harness.Log.Lines);
    }

    [Fact]
    public async Task A_relay_cannot_publish_on_another_relays_results()
    {
        var relayA = await _harness.ConnectRelayAsync("relay-a", _harness.Store.Create("relay-a"));
        var server = await _harness.ConnectServerAsync();
        var inbox = BrokerHarness.Collect(server);
        await BrokerHarness.SubscribeAsync(server, "cog/v1/relays/relay-b/results");

        var code = await BrokerHarness.PublishAsync(relayA, "cog/v1/relays/relay-b/results", "forged");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, code);
        Assert.Null(inbox.Next(BrokerHarness.NegativeWait));
        Assert.Contains("Dropped a message from relay-a (client cog-relay-relay-a) on 'cog/v1/relays/relay-b/results': not allowed to publish there.", _harness.Log.Lines);
    }

    [Fact]
    public async Task A_relays_own_results_reach_the_server_subscribed_to_every_relay()
    {
        var relayA = await _harness.ConnectRelayAsync("relay-a", _harness.Store.Create("relay-a"));
        var server = await _harness.ConnectServerAsync();
        var inbox = BrokerHarness.Collect(server);

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await BrokerHarness.SubscribeAsync(server, "cog/v1/relays/+/results"));
        Assert.Equal(MqttClientPublishReasonCode.Success, await BrokerHarness.PublishAsync(relayA, "cog/v1/relays/relay-a/results", "done"));

        Assert.Equal(("cog/v1/relays/relay-a/results", "done"), inbox.Expect());
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+/v1/relays/relay-a/invocations")]
    [InlineData("cog/v1/relays/#")]
    [InlineData("cog/v1/relays/+/invocations")]
    [InlineData("cog/v1/relays/relay-a/#")]
    [InlineData("cog/v1/relays/relay-a/+")]
    [InlineData("cog/v1/relays/relay-a/results")]
    [InlineData("$SYS/#")]
    public async Task A_relay_cannot_subscribe_to_wildcards_or_what_it_publishes(string filter)
    {
        var relay = await _harness.ConnectRelayAsync("relay-a", _harness.Store.Create("relay-a"));

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await BrokerHarness.SubscribeAsync(relay, filter));
    }

    [Theory]
    [InlineData("cog/v1/relays/#", MqttClientSubscribeResultCode.GrantedQoS1)]
    [InlineData("cog/v1/relays/+/status", MqttClientSubscribeResultCode.GrantedQoS1)]
    [InlineData("#", MqttClientSubscribeResultCode.NotAuthorized)]
    [InlineData("+/v1/relays/+/results", MqttClientSubscribeResultCode.NotAuthorized)]
    [InlineData("other/topic", MqttClientSubscribeResultCode.NotAuthorized)]
    public async Task The_server_user_may_subscribe_only_under_the_relay_tree(string filter, MqttClientSubscribeResultCode expected)
    {
        var server = await _harness.ConnectServerAsync();

        Assert.Equal(expected, await BrokerHarness.SubscribeAsync(server, filter));
    }

    [Fact]
    public async Task A_relay_cannot_forge_another_relays_status_through_its_last_will()
    {
        var token = _harness.Store.Create("relay-a");
        var server = await _harness.ConnectServerAsync();
        var inbox = BrokerHarness.Collect(server);
        await BrokerHarness.SubscribeAsync(server, "cog/v1/relays/+/status");
        await DropRelayWithWillAsync(token, "cog/v1/relays/relay-b/status", "forged");

        await _harness.WaitForLogAsync("Dropped a message from relay-a (client cog-relay-relay-a) on 'cog/v1/relays/relay-b/status': not allowed to publish there.");
        Assert.Null(inbox.Next(BrokerHarness.NegativeWait));
    }

    [Fact]
    public async Task A_relays_own_last_will_reaches_the_server()
    {
        var token = _harness.Store.Create("relay-a");
        var server = await _harness.ConnectServerAsync();
        var inbox = BrokerHarness.Collect(server);
        await BrokerHarness.SubscribeAsync(server, "cog/v1/relays/+/status");
        await DropRelayWithWillAsync(token, "cog/v1/relays/relay-a/status", "offline");

        Assert.Equal(("cog/v1/relays/relay-a/status", "offline"), inbox.Expect());
    }

    [Fact]
    public async Task A_payload_over_the_limit_is_dropped()
    {
        await using var small = await SmallBrokerAsync();
        var relay = await small.ConnectRelayAsync("relay-a", small.Store.Create("relay-a"));
        var server = await small.ConnectServerAsync();
        var inbox = BrokerHarness.Collect(server);
        await BrokerHarness.SubscribeAsync(server, "cog/v1/relays/+/results");

        var code = await BrokerHarness.PublishAsync(relay, "cog/v1/relays/relay-a/results", new string('x', 101));

        Assert.NotEqual(MqttClientPublishReasonCode.Success, code);
        Assert.Null(inbox.Next(BrokerHarness.NegativeWait));
        Assert.Contains("Dropped a message from relay-a (client cog-relay-relay-a) on 'cog/v1/relays/relay-a/results': 101 bytes, more than the limit of 100 bytes.", small.Log.Lines);
    }

    static Task<BrokerHarness> SmallBrokerAsync() => BrokerHarness.StartAsync(new EmbeddedBrokerOptions { Port = 0, MaxPayloadBytes = 100 });

    /// <summary>Connects relay-a with a last will, then drops the connection without a DISCONNECT packet, so the broker sends the will.</summary>
    async Task DropRelayWithWillAsync(string token, string willTopic, string willPayload)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_harness.Broker.Address.ToString(), _harness.Broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId("cog-relay-relay-a")
            .WithCredentials("relay-a", token)
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var (relay, code) = await _harness.TryConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.Success, code);
        relay.Dispose();
    }
}
