using System.Diagnostics;
using System.Text.Json;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Sdk;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// A worker's cold start: from the moment the pool is asked for a worker (a bundle version loaded without warm workers,
/// then its first invocation) to the moment that first no-op invocation is answered, for a fresh worker process each
/// time — process start through the relay's sandbox, the runtime's start, the hello, loading the plug-in assembly or
/// the script image, and the command's first (jitted) run. The script is compiled beforehand: its image comes from the
/// relay's disk cache, as after a relay restart.
/// </summary>
/// <remarks>Run with <c>./build.sh bench worker-start [starts]</c>. Each start's worker is killed and has exited before
/// the next one is timed.</remarks>
static class WorkerStart
{
    public static async Task<int> RunAsync(int starts)
    {
        var cache = Directory.CreateTempSubdirectory("cog-bench-worker-start-");
        try
        {
            var scripts = new CompiledScripts(Path.Combine(cache.FullName, "scripts"));
            var options = WorkerOptions.Default with { MinWarm = 0 };
            var sandbox = await CogBus.RelaySandboxAsync();
            await using var engine = new WorkerEngine(scripts, sandbox, options, NullLogger.Instance, TimeProvider.System);
            var series = new (string Name, string Bundle, string Command, List<double> Samples)[]
            {
                ("assembly bundle (echo-assembly:repeat)", "echo-assembly", "repeat", []),
                ("script bundle (echo-script:say)", "echo-script", "say", []),
            };
            // One start of each first: the relay side's own JIT, and the script's compilation into the disk cache.
            foreach (var (_, bundle, command, _) in series)
                await StartOnceAsync(engine, bundle, command);
            for (var i = 0; i < starts; i++)
            {
                foreach (var (_, bundle, command, samples) in series)
                    samples.Add(await StartOnceAsync(engine, bundle, command));
            }

            Console.WriteLine($"Worker cold start, {starts} starts of each bundle, interleaved, {Environment.ProcessorCount} cores, sandbox {CogBus.Describe(sandbox)}:");
            Console.WriteLine();
            Console.WriteLine("| bundle | p50 | p90 |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, _, _, samples) in series)
                Console.WriteLine($"| {name} | {RoundTripLatency.Percentile(samples, 0.50):0.0} ms | {RoundTripLatency.Percentile(samples, 0.90):0.0} ms |");
            return 0;
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    /// <summary>Loads the bundle's folder (no warm worker), times its first invocation, then unloads it and waits for its
    /// worker to exit. The unload also drops the in-memory script image: the next start reads it from the disk cache.</summary>
    /// <returns>The time to the first answer, in milliseconds.</returns>
    static async Task<double> StartOnceAsync(WorkerEngine engine, string bundle, string commandName)
    {
        var (invocation, assembly) = Invocation(bundle, commandName);
        var directory = invocation.BundleDirectory;
        engine.Load(bundle, directory, assembly);
        var pool = engine.PoolOf(directory)!;
        var started = Stopwatch.GetTimestamp();
        var outcome = await engine.RunAsync(invocation, ExecutionLimits.Default, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        engine.Unload(directory);
        await pool.DisposeAsync();
        if (outcome.Status != CommandStatus.Ok)
            throw new InvalidOperationException($"The first invocation of {bundle}:{commandName} failed: {outcome.Message}");
        return elapsed;
    }

    /// <summary>A no-op invocation of an example bundle's command with no arguments, and the bundle's plug-in assembly.</summary>
    internal static (CommandInvocation Invocation, string? Assembly) Invocation(string bundle, string command)
    {
        var directory = Path.Combine(CogBus.ExamplesDirectory, bundle);
        var manifest = ManifestLoader.LoadDirectory(directory).Manifest
            ?? throw new InvalidOperationException($"The example bundle {bundle} has no valid manifest.");
        return (new CommandInvocation(Context(bundle, command), manifest.Commands.Single(c => c.Name == command), directory), manifest.Assembly);
    }

    static CommandContext Context(string bundle, string command) => new()
    {
        Bundle = bundle,
        Command = command,
        PipelineId = "p-bench",
        InvocationId = "i-bench",
        Arguments = new CommandArguments([]),
        Options = CommandOptions.Empty,
        Input = JsonDocument.Parse("{}").RootElement.Clone(),
        User = new CommandUser("alice", "alice", null),
        Room = new CommandRoom("direct", IsDirect: true),
        Configuration = new Dictionary<string, string>(),
        Store = new MemoryPipelineStore(),
        Log = new LoggerCommandLog(NullLogger.Instance, bundle, command, "p-bench", "i-bench"),
    };
}
