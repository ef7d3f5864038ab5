using System.Diagnostics;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// Per-invocation latency percentiles of the relay round trip — a no-op assembly and script command, run in the relay's
/// process (the baseline, <see cref="CommandPath.InProcess"/>) and in a warm worker process (production,
/// <see cref="CommandPath.Worker"/>) — and of its MQTT floor, measured in one process, interleaved in rounds so that
/// every path sees the same machine; then the throughput of each path with 100 invocations in flight. BenchmarkDotNet
/// reports means and medians of iterations (each the average of many invocations); the targets are about single
/// invocations, so this times every one of them.
/// </summary>
/// <remarks>
/// <para>Run with <c>./build.sh bench relay-latency [invocations per round]</c>.</para>
/// <para>Each path has an embedded broker of its own: a server subscribes to every relay's results, so on a shared
/// broker each path would also receive (and drop) the others' traffic.</para>
/// </remarks>
static class RoundTripLatency
{
    const int Rounds = 10;
    const int InFlightCount = 100;

    public static async Task<int> RunAsync(int perRound)
    {
        var credentials = new InMemoryRelayCredentialStore();
        await using var floorBroker = await StartBrokerAsync(credentials);
        await using var inProcessBroker = await StartBrokerAsync(credentials);
        await using var workerBroker = await StartBrokerAsync(credentials);
        await using var floor = await MqttFloor.StartAsync(floorBroker, credentials.Create(MqttFloor.ResponderRelayId), requestBytes: 700, replyBytes: 160);
        await using var inProcess = await CogBus.StartAsync(inProcessBroker, credentials, CommandPath.InProcess);
        await using var worker = await CogBus.StartAsync(workerBroker, credentials, CommandPath.Worker);

        var series = new List<Series> { new("MQTT floor", floor.RoundTripAsync) };
        foreach (var (kind, bundle, command) in new[] { ("assembly", "echo-assembly", "repeat"), ("script", "echo-script", "say") })
        {
            foreach (var (path, bus) in new[] { ("in-process", inProcess), ("worker", worker) })
            {
                var request = bus.Request(bundle, command);
                series.Add(new($"Cog, {kind} command, {path}", () => bus.DispatchAsync(request)));
            }
        }
        // Warm up every path (JIT, script compile, plug-in load, the workers' own JIT; the load of 100 in flight starts
        // the pool's further workers), then measure in interleaved rounds.
        var batch = Math.Max(perRound, 10 * InFlightCount);
        foreach (var path in series)
        {
            for (var i = 0; i < 2000; i++)
                await path.RoundTrip();
            await InFlight.RunAsync(batch, InFlightCount, path.RoundTrip);
        }
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var path in series)
            {
                for (var i = 0; i < perRound; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await path.RoundTrip();
                    path.Samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
            }
        }
        // Throughput: each round runs a batch of every path with 100 outstanding, interleaved as above.
        var elapsed = new double[series.Count];
        for (var round = 0; round < Rounds; round++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var started = Stopwatch.GetTimestamp();
                await InFlight.RunAsync(batch, InFlightCount, series[s].RoundTrip);
                elapsed[s] += Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
        }

        Console.WriteLine($"Sequential round trips, {Rounds} interleaved rounds of {perRound} each, {Environment.ProcessorCount} cores, sandbox {CogBus.Describe(await CogBus.RelaySandboxAsync())}:");
        Console.WriteLine();
        Console.WriteLine("| path | p50 | p90 | p99 | p50 vs floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var floorP50 = Percentile(series[0].Samples, 0.50);
        foreach (var path in series)
        {
            var p50 = Percentile(path.Samples, 0.50);
            Console.WriteLine($"| {path.Name} | {p50:0} µs | {Percentile(path.Samples, 0.90):0} µs | {Percentile(path.Samples, 0.99):0} µs | {p50 / floorP50:0.00}× |");
        }
        Console.WriteLine();
        Console.WriteLine($"{InFlightCount} in flight, {Rounds} interleaved rounds of {batch} invocations each:");
        Console.WriteLine();
        Console.WriteLine("| path | invocations/s |");
        Console.WriteLine("|---|---:|");
        var throughput = new double[series.Count];
        for (var s = 0; s < series.Count; s++)
        {
            throughput[s] = Rounds * batch / elapsed[s];
            Console.WriteLine($"| {series[s].Name} | {throughput[s]:0} |");
        }
        Console.WriteLine();
        Console.WriteLine("What the worker adds to the in-process path:");
        Console.WriteLine();
        Console.WriteLine("| command | added p50 (worker − in-process) | throughput, worker / in-process |");
        Console.WriteLine("|---|---:|---:|");
        // series: floor, assembly in-process, assembly worker, script in-process, script worker.
        foreach (var (kind, inProcessIndex) in new[] { ("assembly", 1), ("script", 3) })
        {
            var added = Percentile(series[inProcessIndex + 1].Samples, 0.50) - Percentile(series[inProcessIndex].Samples, 0.50);
            Console.WriteLine($"| {kind} | {added:0} µs | {throughput[inProcessIndex + 1] / throughput[inProcessIndex]:0.00} |");
        }
        return 0;
    }

    internal static Task<EmbeddedBroker> StartBrokerAsync(InMemoryRelayCredentialStore credentials) =>
        EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, credentials, NullLogger<EmbeddedBroker>.Instance, CancellationToken.None);

    internal static double Percentile(List<double> samples, double fraction)
    {
        var sorted = samples.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Round(fraction * (sorted.Length - 1)))];
    }

    sealed record Series(string Name, Func<Task> RoundTrip)
    {
        public List<double> Samples { get; } = [];
    }
}
