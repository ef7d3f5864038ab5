using BenchmarkDotNet.Attributes;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Sqlite;

namespace Cog.Benchmarks.Pipeline;

/// <summary>
/// The pipeline engine on the built-in <c>operable</c> commands (from the real <c>bundles/operable</c> manifest):
/// parse, resolve, authorize every stage, dispatch in-process and collect — without rendering (templates do not exist
/// yet) — first with an audit that records nothing, then with the durable, hash-chained audit log on SQLite (group
/// commit, synchronous=FULL), which every pipeline awaits before each dispatch.
/// </summary>
[MemoryDiagnoser(false)]
public class PipelineEngineBenchmarks
{
    const int Burst = 1000;
    static readonly PipelineCaller Caller = new("u-1", "alice", "alice", null, "bench");
    static readonly PipelineRequest OneStage = new("echo hello", Caller, PipelineRoom.Direct);
    static readonly PipelineRequest ThreeStages = new("echo hello | echo $body[0] | echo done", Caller, PipelineRoom.Direct);

    PipelineEngine _inMemory = null!;
    PipelineEngine _sqlite = null!;
    AuditWriter _writer = null!;
    FileStream _fsyncFile = null!;
    readonly byte[] _record = new byte[256];
    Cog.Runtime.Storage.IStore _store = null!;
    string _folder = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var directory = OperableDirectory.Load();
        var builtIns = new BuiltInCommands(directory, new StaticBundleDocumentation([]), new InMemoryNamedDataStore(),
            TimeProvider.System, BuiltInOptions.Default);
        _inMemory = new PipelineEngine(directory, builtIns, new NoAudit(), TimeProvider.System, PipelineEngineOptions.Default);

        _folder = Path.Combine(Path.GetTempPath(), "cog-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_folder, "cog.db") });
        await store.MigrateAsync(CancellationToken.None);
        _store = store;
        _writer = new AuditWriter(store.Audit, AuditKey.Generate());
        _fsyncFile = new FileStream(Path.Combine(_folder, "fsync.bin"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        _sqlite = new PipelineEngine(directory, builtIns, new PipelineAuditLog(_writer), TimeProvider.System, PipelineEngineOptions.Default);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _writer.DisposeAsync();
        await _fsyncFile.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "one stage, no audit")]
    public Task<PipelineOutcome> One_stage_in_memory() => _inMemory.RunAsync(OneStage, CancellationToken.None);

    [Benchmark(Description = "three stages, no audit")]
    public Task<PipelineOutcome> Three_stages_in_memory() => _inMemory.RunAsync(ThreeStages, CancellationToken.None);

    [Benchmark(Description = "one stage, durable audit on SQLite, sequential")]
    public Task<PipelineOutcome> One_stage_sqlite_sequential() => _sqlite.RunAsync(OneStage, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Burst, Description = "one stage, durable audit on SQLite, burst of 1000")]
    public Task One_stage_sqlite_burst()
    {
        var runs = new Task[Burst];
        for (var i = 0; i < Burst; i++)
            runs[i] = _sqlite.RunAsync(OneStage, CancellationToken.None);
        return Task.WhenAll(runs);
    }

    /// <summary>The disk's durable-write latency in the same run: append 256 bytes to a file and fsync it.</summary>
    [Benchmark(Description = "fsync of a 256-byte append (the disk's floor)")]
    public void Fsync()
    {
        _fsyncFile.Write(_record);
        _fsyncFile.Flush(flushToDisk: true);
    }
}
