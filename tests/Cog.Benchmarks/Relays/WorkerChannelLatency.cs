using System.Diagnostics;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// What a warm worker adds to one invocation, without the bus: a no-op assembly and script command run through the
/// engine directly — <see cref="InProcessEngine"/> against <see cref="WorkerEngine"/> (a warm worker process started
/// through the relay's sandbox) — timed one by one, interleaved in rounds. The difference is the channel's cost: the
/// frames, the pipes, the hop to the worker process and back.
/// </summary>
/// <remarks>Run with <c>./build.sh bench worker-channel [invocations per round]</c>. The relay round trip
/// (<see cref="RoundTripLatency"/>) holds the same difference inside the bus's noise.</remarks>
static class WorkerChannelLatency
{
    const int Rounds = 10;

    public static async Task<int> RunAsync(int perRound)
    {
        var cache = Directory.CreateTempSubdirectory("cog-bench-worker-channel-");
        try
        {
            await using var inProcess = new InProcessEngine(new CompiledScripts(Path.Combine(cache.FullName, "scripts")));
            var sandbox = await CogBus.RelaySandboxAsync();
            await using var worker = new WorkerEngine(new CompiledScripts(Path.Combine(cache.FullName, "scripts")), sandbox,
                WorkerOptions.Default, NullLogger.Instance, TimeProvider.System);
            var series = new List<(string Name, IBundleCodeEngine Engine, CommandInvocation Invocation, List<double> Samples)>();
            foreach (var (kind, bundle, command) in new[] { ("assembly", "echo-assembly", "repeat"), ("script", "echo-script", "say") })
            {
                foreach (var (path, engine) in new (string, IBundleCodeEngine)[] { ("in-process", inProcess), ("worker", worker) })
                {
                    var (invocation, assembly) = WorkerStart.Invocation(bundle, command);
                    engine.Load(bundle, invocation.BundleDirectory, assembly);
                    series.Add(($"{kind} command, {path}", engine, invocation, []));
                }
            }
            foreach (var (_, engine, invocation, _) in series)
            {
                for (var i = 0; i < 2000; i++)
                    await RunAsync(engine, invocation);
            }
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (_, engine, invocation, samples) in series)
                {
                    for (var i = 0; i < perRound; i++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await RunAsync(engine, invocation);
                        samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                    }
                }
            }

            // Throughput with 100 in flight, interleaved the same way (after one batch each to start the pool's workers).
            const int InFlightCount = 100;
            var batch = Math.Max(perRound, 10 * InFlightCount);
            var elapsed = new double[series.Count];
            for (var round = -1; round < Rounds; round++)
            {
                for (var s = 0; s < series.Count; s++)
                {
                    var (_, engine, invocation, _) = series[s];
                    var started = Stopwatch.GetTimestamp();
                    await InFlight.RunAsync(batch, InFlightCount, () => RunAsync(engine, invocation));
                    if (round >= 0)
                        elapsed[s] += Stopwatch.GetElapsedTime(started).TotalSeconds;
                }
            }

            Console.WriteLine($"One invocation through the engine (no bus), {Rounds} interleaved rounds of {perRound} each, {Environment.ProcessorCount} cores, sandbox {CogBus.Describe(sandbox)}:");
            Console.WriteLine();
            Console.WriteLine("| path | p50 | p90 | p99 |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, _, _, samples) in series)
                Console.WriteLine($"| {name} | {P(samples, 0.50):0.0} µs | {P(samples, 0.90):0.0} µs | {P(samples, 0.99):0.0} µs |");
            Console.WriteLine();
            Console.WriteLine($"{InFlightCount} in flight through the engine, {Rounds} interleaved rounds of {batch} invocations each:");
            Console.WriteLine();
            Console.WriteLine("| path | invocations/s |");
            Console.WriteLine("|---|---:|");
            for (var s = 0; s < series.Count; s++)
                Console.WriteLine($"| {series[s].Name} | {Rounds * batch / elapsed[s]:0} |");
            Console.WriteLine();
            Console.WriteLine($"Added p50 (worker − in-process): assembly {P(series[1].Samples, 0.5) - P(series[0].Samples, 0.5):0.0} µs, script {P(series[3].Samples, 0.5) - P(series[2].Samples, 0.5):0.0} µs.");
            return 0;
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    static async Task RunAsync(IBundleCodeEngine engine, CommandInvocation invocation)
    {
        var outcome = await engine.RunAsync(invocation, ExecutionLimits.Default, CancellationToken.None);
        if (outcome.Status != Cog.Sdk.CommandStatus.Ok)
            throw new InvalidOperationException($"The invocation failed: {outcome.Message}");
    }

    static double P(List<double> samples, double fraction) => RoundTripLatency.Percentile(samples, fraction);
}
