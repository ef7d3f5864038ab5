using Cog.Contracts.Relays;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cog.Integration.Tests.Bus;

/// <summary>The bus suite over a real Mosquitto: password file with the server account and every relay's token, and
/// the ACL of docs/mosquitto/cog.acl. Plus what only an external broker can do: restart under the server and the
/// relays, losing every session and retained message (persistence off, Mosquitto's default).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MosquittoBusTests : BusSuite
{
    private protected override Task<BusBroker> StartBrokerAsync(BusEnvironment.StartContext context) =>
        MosquittoBusBroker.StartAsync(context.Tokens);

    MosquittoProcess Mosquitto => ((MosquittoBusBroker)Bus.Broker).Process;

    [Fact]
    public async Task Commands_that_finish_while_the_broker_is_down_report_their_results_once_when_it_is_back()
    {
        var shell = ShellFixtures();
        var relay = await RelayServingAsync("relay-a", shell);
        var markers = Enumerable.Range(0, 4).Select(_ => Bus.NewMarker()).ToArray();
        var dispatches = markers.Select(marker => Bus.DispatchAsync(BusEnvironment.Request(shell, "slow", [1], timeout: TimeSpan.FromSeconds(20),
            configuration: new Dictionary<string, string> { ["MARKER"] = marker }))).ToArray();
        await Eventually.TrueAsync(() => markers.All(File.Exists), "every command to start on the relay");

        // The commands end while the broker is down; the relay reconnects quickly and the server slowly (its back-off),
        // so the relay publishes the results before the server has subscribed again.
        await Mosquitto.StopAsync();
        await Eventually.TrueAsync(() => relay.Log.Texts.Count(t => t.StartsWith("Finished ", StringComparison.Ordinal)) == markers.Length,
            "every command to finish on the relay");
        await Mosquitto.StartAgainAsync(Token);
        var outcomes = await Task.WhenAll(dispatches);

        foreach (var outcome in outcomes)
        {
            Assert.True(outcome.Status == DispatchStatus.Completed, $"{outcome.Status}: {outcome.Message}");
            Assert.Equal(ResultStatus.Ok, outcome.Result!.Status);
        }
        foreach (var marker in markers)
        {
            Assert.Single(await File.ReadAllLinesAsync(marker, Token));
        }
        Assert.DoesNotContain(Bus.ServerLog.Texts, t => t.Contains("no result arrived", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_published_while_the_server_is_disconnected_reach_it_once_it_is_back()
    {
        var shell = ShellFixtures();
        var relay = await RelayServingAsync("relay-a", shell);
        // A server of its own, slow to reconnect (4 s), so that the commands end while it is away.
        var log = new CollectingLoggerFactory();
        var options = new MqttRelayTransportOptions
        {
            BrokerUri = Bus.Broker.ServerOptions.BrokerUri,
            UserName = Bus.Broker.ServerOptions.UserName,
            Password = Bus.Broker.ServerOptions.Password,
            ReconnectMinDelay = TimeSpan.FromSeconds(4),
        };
        await using var transport = new MqttRelayTransport(options, log.CreateLogger<MqttRelayTransport>(), TimeProvider.System);
        using var dispatcher = new RelayDispatcher(new RelayRegistry(TimeProvider.System), transport, BusEnvironment.DispatcherOptions,
            TimeProvider.System, log.CreateLogger<RelayDispatcher>());
        await transport.StartAsync(dispatcher, Token);
        await Eventually.TrueAsync(() => dispatcher.Registry.Find("relay-a")?.Bundles.Any(b => b.Name == shell.Name) == true, "the server to see relay-a");
        var markers = Enumerable.Range(0, 3).Select(_ => Bus.NewMarker()).ToArray();
        var dispatches = markers.Select(marker => dispatcher.DispatchAsync(BusEnvironment.Request(shell, "slow", [1], timeout: TimeSpan.FromSeconds(20),
            configuration: new Dictionary<string, string> { ["MARKER"] = marker }), Token)).ToArray();
        await Eventually.TrueAsync(() => markers.All(File.Exists), "every command to start on the relay");

        // The server's connection is taken over by a client that reads what is sent to it and acknowledges nothing
        // (as a connection that dies with messages in flight), then vanishes.
        using (var intruder = new MqttClientFactory().CreateMqttClient())
        {
            intruder.ApplicationMessageReceivedAsync += e =>
            {
                e.AutoAcknowledge = false;
                return Task.CompletedTask;
            };
            await intruder.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", options.BrokerUri.Port)
                .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(transport.ClientId).WithCredentials(options.UserName, options.Password)
                .WithCleanStart(false).WithSessionExpiryInterval(300).Build(), Token);
            await Eventually.TrueAsync(() => relay.Log.Texts.Count(t => t.StartsWith("Finished ", StringComparison.Ordinal)) == markers.Length,
                "every command to finish on the relay");
        }
        var outcomes = await Task.WhenAll(dispatches);

        foreach (var outcome in outcomes)
        {
            Assert.True(outcome.Status == DispatchStatus.Completed, $"{outcome.Status}: {outcome.Message}");
            Assert.Equal(ResultStatus.Ok, outcome.Result!.Status);
        }
        foreach (var marker in markers)
        {
            Assert.Single(await File.ReadAllLinesAsync(marker, Token));
        }
    }
}
