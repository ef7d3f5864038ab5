using System.Diagnostics;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// Per-invocation latency percentiles of the relay round trip and of its MQTT floor, measured in one process on one
/// broker, interleaved in rounds so that both see the same machine. BenchmarkDotNet reports means and medians of
/// iterations (each the average of many invocations); the target "p50 within 1.5× of the floor" is about single
/// invocations, so this times every one of them.
/// </summary>
/// <remarks>Run with <c>./build.sh bench relay-latency [invocations per round]</c>.</remarks>
static class RoundTripLatency
{
    public static async Task<int> RunAsync(int perRound)
    {
        var credentials = new InMemoryRelayCredentialStore();
        await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 }, credentials,
            NullLogger<EmbeddedBroker>.Instance, CancellationToken.None);
        await using var floor = await MqttFloor.StartAsync(broker, credentials.Create(MqttFloor.ResponderRelayId), requestBytes: 700, replyBytes: 160);
        await using var cog = await CogBus.StartAsync(broker, credentials);
        var assembly = cog.Request("echo-assembly", "repeat");
        var script = cog.Request("echo-script", "say");

        var series = new (string Name, Func<Task> RoundTrip, List<double> Samples)[]
        {
            ("MQTT floor", floor.RoundTripAsync, []),
            ("Cog, assembly command", () => cog.DispatchAsync(assembly), []),
            ("Cog, script command", () => cog.DispatchAsync(script), []),
        };
        // Warm up every path (JIT, script compile, plug-in load), then measure in interleaved rounds.
        foreach (var (_, roundTrip, _) in series)
        {
            for (var i = 0; i < 2000; i++)
                await roundTrip();
        }
        const int Rounds = 10;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (_, roundTrip, samples) in series)
            {
                for (var i = 0; i < perRound; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await roundTrip();
                    samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
            }
        }

        Console.WriteLine($"Sequential round trips, {Rounds} interleaved rounds of {perRound} each, {Environment.ProcessorCount} cores:");
        Console.WriteLine();
        Console.WriteLine("| path | p50 | p90 | p99 | p50 vs floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var floorP50 = Percentile(series[0].Samples, 0.50);
        foreach (var (name, _, samples) in series)
        {
            var p50 = Percentile(samples, 0.50);
            Console.WriteLine($"| {name} | {p50:0} µs | {Percentile(samples, 0.90):0} µs | {Percentile(samples, 0.99):0} µs | {p50 / floorP50:0.00}× |");
        }
        return 0;
    }

    static double Percentile(List<double> samples, double fraction)
    {
        var sorted = samples.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Round(fraction * (sorted.Length - 1)))];
    }
}
