using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Cog.Relay.Execution.Scripts;

namespace Cog.Benchmarks.Scripts;

/// <summary>
/// What a script command costs before it runs: its first compile in a fresh relay process (Roslyn loaded cold), and
/// loading it from the disk cache in a new engine (a relay restart). Each launch is a new process, so the first
/// iteration is truly cold. Targets (issue "Relays and bundles"): first compile ≤ 1.5 s, cached load ≤ 50 ms.
/// The relay warms the compiler up in the background at start (<see cref="CompiledScripts.WarmUpAsync"/>):
/// <c>Warm_up_in_a_fresh_process</c> is what that costs (off the invocation path), and
/// <c>First_compile_after_warm_up</c> is what the first real script compile then costs.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 5, warmupCount: 0, iterationCount: 1)]
public class ScriptCompileBenchmarks
{
    const string Script = "return new { greeting = $\"Hello, {Args.GetText(0)}!\", count = Args.Count };";

    string _cache = "";

    [GlobalSetup(Target = nameof(Load_cached_script_in_a_new_engine))]
    public async Task FillCache()
    {
        _cache = Directory.CreateTempSubdirectory("cog-bench-cache").FullName;
        await new CompiledScripts(_cache).PrepareAsync("hello.csx", Script, CancellationToken.None);
    }

    [GlobalSetup(Targets = [nameof(First_compile_in_a_fresh_process), nameof(Warm_up_in_a_fresh_process)])]
    public void EmptyCache() => _cache = Directory.CreateTempSubdirectory("cog-bench-cache").FullName;

    [GlobalSetup(Target = nameof(First_compile_after_warm_up))]
    public async Task WarmUp()
    {
        EmptyCache();
        await new CompiledScripts(_cache).WarmUpAsync(CancellationToken.None);
    }

    [Benchmark]
    public async Task<int> First_compile_in_a_fresh_process() =>
        (await new CompiledScripts(_cache).PrepareAsync("hello.csx", Script, CancellationToken.None)).Length;

    [Benchmark]
    public async Task Warm_up_in_a_fresh_process() => await new CompiledScripts(_cache).WarmUpAsync(CancellationToken.None);

    [Benchmark]
    public async Task<int> First_compile_after_warm_up() =>
        (await new CompiledScripts(_cache).PrepareAsync("hello.csx", Script, CancellationToken.None)).Length;

    [Benchmark]
    public async Task<int> Load_cached_script_in_a_new_engine() =>
        (await new CompiledScripts(_cache).PrepareAsync("hello.csx", Script, CancellationToken.None)).Length;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_cache, recursive: true);
}
