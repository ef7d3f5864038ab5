using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cog.Runtime.Mqtt.Tests.Broker;

public sealed class EmbeddedBrokerStoreFailureTests
{
    [Fact]
    public async Task A_failing_credential_store_refuses_the_relay_as_server_unavailable()
    {
        var log = new CollectingLogger<EmbeddedBroker>();
        await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, new FailingStore(), log,
            TestContext.Current.CancellationToken);
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Address.ToString(), broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-relay-relay-a")
            .WithCredentials("relay-a", "token")
            .Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.ServerUnavailable, result.ResultCode);
        var error = Assert.Single(log.Errors);
        Assert.StartsWith("Refused relay relay-a from 127.0.0.1:", error, StringComparison.Ordinal);
        Assert.EndsWith(": the relay credentials could not be read.", error, StringComparison.Ordinal);
    }

    sealed class FailingStore : IRelayCredentialStore
    {
        public ValueTask<RelayCredential?> FindAsync(string relayId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The database is down.");
    }
}
