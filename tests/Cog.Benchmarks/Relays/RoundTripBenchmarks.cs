using BenchmarkDotNet.Attributes;
using Cog.Runtime.Relays;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// The relay round trip against its floor, in one run: a bare MQTTnet request/response (<see cref="MqttFloor"/>) and
/// Cog's own bus (<see cref="CogBus"/>: dispatcher → relay → a no-op command → result) with script and plug-in commands
/// run in the relay's process (the baseline) and in warm worker processes (production), sequential and with 100
/// invocations in flight. Each path has an embedded broker of its own (see <see cref="RoundTripLatency"/>).
/// </summary>
[MemoryDiagnoser(false)]
public class RoundTripBenchmarks
{
    const int Batch = 2000;
    const int InFlightCount = 100;

    readonly List<IAsyncDisposable> _resources = [];
    MqttFloor _floor = null!;
    CogBus _inProcess = null!;
    CogBus _worker = null!;
    DispatchRequest _inProcessAssembly = null!;
    DispatchRequest _inProcessScript = null!;
    DispatchRequest _workerAssembly = null!;
    DispatchRequest _workerScript = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var credentials = new InMemoryRelayCredentialStore();
        var floorBroker = await Own(RoundTripLatency.StartBrokerAsync(credentials));
        // Sizes of the no-op invocation and its result on the wire (measured from the protocol's serializer).
        _floor = await Own(MqttFloor.StartAsync(floorBroker, credentials.Create(MqttFloor.ResponderRelayId), requestBytes: 700, replyBytes: 160));
        _inProcess = await Own(CogBus.StartAsync(await Own(RoundTripLatency.StartBrokerAsync(credentials)), credentials, CommandPath.InProcess));
        _worker = await Own(CogBus.StartAsync(await Own(RoundTripLatency.StartBrokerAsync(credentials)), credentials, CommandPath.Worker));
        (_inProcessAssembly, _inProcessScript) = (_inProcess.Request("echo-assembly", "repeat"), _inProcess.Request("echo-script", "say"));
        (_workerAssembly, _workerScript) = (_worker.Request("echo-assembly", "repeat"), _worker.Request("echo-script", "say"));
        // Compile the script, load the plug-in and start the pool's workers before measuring: the figures are for warm
        // commands.
        foreach (var (bus, request) in new[] { (_inProcess, _inProcessScript), (_inProcess, _inProcessAssembly), (_worker, _workerScript), (_worker, _workerAssembly) })
            await InFlight.RunAsync(Batch, InFlightCount, () => bus.DispatchAsync(request));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        // In reverse: the buses before their brokers.
        for (var i = _resources.Count - 1; i >= 0; i--)
            await _resources[i].DisposeAsync();
        _resources.Clear();
    }

    async Task<T> Own<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var resource = await starting;
        _resources.Add(resource);
        return resource;
    }

    [Benchmark(Baseline = true, Description = "MQTT floor, sequential")]
    public Task Floor_sequential() => _floor.RoundTripAsync();

    [Benchmark(OperationsPerInvoke = Batch, Description = "MQTT floor, 100 in flight")]
    public Task Floor_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, _floor.RoundTripAsync);

    [Benchmark(Description = "Cog, assembly command, in-process, sequential")]
    public Task Assembly_in_process_sequential() => _inProcess.DispatchAsync(_inProcessAssembly);

    [Benchmark(Description = "Cog, assembly command, worker, sequential")]
    public Task Assembly_worker_sequential() => _worker.DispatchAsync(_workerAssembly);

    [Benchmark(Description = "Cog, script command, in-process, sequential")]
    public Task Script_in_process_sequential() => _inProcess.DispatchAsync(_inProcessScript);

    [Benchmark(Description = "Cog, script command, worker, sequential")]
    public Task Script_worker_sequential() => _worker.DispatchAsync(_workerScript);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Cog, assembly command, in-process, 100 in flight")]
    public Task Assembly_in_process_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, () => _inProcess.DispatchAsync(_inProcessAssembly));

    [Benchmark(OperationsPerInvoke = Batch, Description = "Cog, assembly command, worker, 100 in flight")]
    public Task Assembly_worker_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, () => _worker.DispatchAsync(_workerAssembly));

    [Benchmark(OperationsPerInvoke = Batch, Description = "Cog, script command, in-process, 100 in flight")]
    public Task Script_in_process_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, () => _inProcess.DispatchAsync(_inProcessScript));

    [Benchmark(OperationsPerInvoke = Batch, Description = "Cog, script command, worker, 100 in flight")]
    public Task Script_worker_100_in_flight() => InFlight.RunAsync(Batch, InFlightCount, () => _worker.DispatchAsync(_workerScript));
}
