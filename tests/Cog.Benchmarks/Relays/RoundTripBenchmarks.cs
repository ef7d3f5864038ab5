using BenchmarkDotNet.Attributes;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// The relay round trip against its floor, in one run on one embedded broker (loopback): a bare MQTTnet
/// request/response (<see cref="MqttFloor"/>), sequential and with 100 requests in flight.
/// </summary>
[MemoryDiagnoser(false)]
public class RoundTripBenchmarks
{
    const int Batch = 2000;
    const int InFlightCount = 100;

    EmbeddedBroker _broker = null!;
    MqttFloor _floor = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var credentials = new InMemoryRelayCredentialStore();
        _broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, credentials, NullLogger<EmbeddedBroker>.Instance, CancellationToken.None);
        var token = credentials.Create(MqttFloor.ResponderRelayId);
        // Sizes of the no-op invocation and its result on the wire (measured from the protocol's serializer).
        _floor = await MqttFloor.StartAsync(_broker, token, requestBytes: 700, replyBytes: 160);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _floor.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "MQTT floor, sequential")]
    public Task Floor_sequential() => _floor.RoundTripAsync();

    [Benchmark(OperationsPerInvoke = Batch, Description = "MQTT floor, 100 in flight")]
    public Task Floor_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, _floor.RoundTripAsync);
}
