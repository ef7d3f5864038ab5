using BenchmarkDotNet.Attributes;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// The relay round trip against its floor, in one run on one embedded broker (loopback): a bare MQTTnet
/// request/response (<see cref="MqttFloor"/>) and Cog's own bus (<see cref="CogBus"/>: dispatcher → relay → a no-op
/// command → result), sequential and with 100 invocations in flight.
/// </summary>
[MemoryDiagnoser(false)]
public class RoundTripBenchmarks
{
    const int Batch = 2000;
    const int InFlightCount = 100;

    EmbeddedBroker _broker = null!;
    MqttFloor _floor = null!;
    CogBus _cog = null!;
    Cog.Runtime.Relays.DispatchRequest _assembly = null!;
    Cog.Runtime.Relays.DispatchRequest _script = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var credentials = new InMemoryRelayCredentialStore();
        _broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, credentials, NullLogger<EmbeddedBroker>.Instance, CancellationToken.None);
        var token = credentials.Create(MqttFloor.ResponderRelayId);
        // Sizes of the no-op invocation and its result on the wire (measured from the protocol's serializer).
        _floor = await MqttFloor.StartAsync(_broker, token, requestBytes: 700, replyBytes: 160);
        _cog = await CogBus.StartAsync(_broker, credentials);
        _assembly = _cog.Request("echo-assembly", "repeat");
        _script = _cog.Request("echo-script", "say");
        // Compile the script (and load the plug-in) before measuring: the figures are for warm commands.
        await _cog.DispatchAsync(_script);
        await _cog.DispatchAsync(_assembly);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _cog.DisposeAsync();
        await _floor.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "MQTT floor, sequential")]
    public Task Floor_sequential() => _floor.RoundTripAsync();

    [Benchmark(OperationsPerInvoke = Batch, Description = "MQTT floor, 100 in flight")]
    public Task Floor_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, _floor.RoundTripAsync);

    [Benchmark(Description = "Cog, assembly command, sequential")]
    public Task Assembly_sequential() => _cog.DispatchAsync(_assembly);

    [Benchmark(Description = "Cog, script command, sequential")]
    public Task Script_sequential() => _cog.DispatchAsync(_script);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Cog, assembly command, 100 in flight")]
    public Task Assembly_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, () => _cog.DispatchAsync(_assembly));

    [Benchmark(OperationsPerInvoke = Batch, Description = "Cog, script command, 100 in flight")]
    public Task Script_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, () => _cog.DispatchAsync(_script));
}
