using BenchmarkDotNet.Attributes;
using Cog.Runtime.Audit;

namespace Cog.Benchmarks.Audit;

/// <summary>The writer's CPU per group commit spent sealing: a full batch (<see cref="AuditWriter.MaxBatch"/> records of
/// a typical size) sealed with the keyed chain, against the keyless SHA-256 of the same records (what sealing cost
/// before the chain was keyed).</summary>
[MemoryDiagnoser]
public class AuditSealBenchmarks
{
    readonly AuditKey _key = AuditKey.Generate();
    AuditEntry[] _entries = [];
    IReadOnlyList<AuditRecord> _records = [];

    [GlobalSetup]
    public void Setup()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _entries = [.. Enumerable.Range(0, AuditWriter.MaxBatch).Select(i => new AuditEntry(time.AddTicks(i * 10L), "invocation.decided", "alice",
            "operable:echo hello world", "allowed",
            $$"""{"pipeline":"3f2a9c1b-{{i:D4}}","stage":1,"relay":"local","rule":"when command is operable:echo allow","room":"#ops"}"""))];
        _records = AuditChain.Seal(_key, 0, AuditChain.Genesis, _entries);
    }

    [Benchmark(Baseline = true, Description = "keyless SHA-256 (cog-audit-v1), 512 records")]
    public string Keyless()
    {
        var last = "";
        foreach (var record in _records)
            last = AuditChain.ComputeKeylessHash(record);
        return last;
    }

    [Benchmark(Description = "keyed HMAC-SHA256 seal (cog-audit-v2), 512 records")]
    public IReadOnlyList<AuditRecord> Keyed() => AuditChain.Seal(_key, 0, AuditChain.Genesis, _entries);
}
