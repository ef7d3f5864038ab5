using System.Text.Json;
using Cog.Runtime.Audit;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Pipeline;
using Cog.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Audit;

/// <summary>A store outage while a pipeline runs: what was dispatched gets its completion record (spooled, then replayed
/// in chain order), nothing more is dispatched, and the caller is told the truth.</summary>
public sealed class StoreOutageTests : IDisposable
{
    /// <summary>An audit log in memory, sealed with the real chain, that is unavailable while <see cref="Down"/> is set.</summary>
    sealed class FlakyAuditStore : IAuditStore
    {
        readonly List<AuditRecord> _records = [];

        public bool Down { get; set; }

        public IReadOnlyList<AuditRecord> Records
        {
            get { lock (_records) return [.. _records]; }
        }

        public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditKey key, CancellationToken cancellationToken)
        {
            if (Down)
                throw new StoreUnavailableException(new IOException("connection refused"));
            lock (_records)
            {
                var last = _records.Count == 0 ? null : _records[^1];
                var sealedRecords = AuditChain.Seal(key, last?.Sequence ?? 0, last?.Hash ?? AuditChain.Genesis, entries);
                _records.AddRange(sealedRecords);
                return Task.FromResult(sealedRecords);
            }
        }

        public Task<AuditRecord?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            lock (_records)
                return Task.FromResult(_records.Count == 0 ? null : _records[^1]);
        }

        public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>History that only counts updates (the spool replays them).</summary>
    sealed class NoHistory : IHistoryStore
    {
        public List<HistoryUpdate> Updates { get; } = [];

        public Task<StoreResult<PipelineHistoryEntry>> AddAsync(PipelineHistoryEntry entry, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreResult<PipelineHistoryEntry>> UpdateAsync(string id, PipelineState state, long count, DateTimeOffset? finishedAt, CancellationToken cancellationToken)
        {
            Updates.Add(new HistoryUpdate(id, state, count, finishedAt));
            return Task.FromResult<StoreResult<PipelineHistoryEntry>>(new StoreError(StoreErrorKind.NotFound, "not kept"));
        }

        public Task<PipelineHistoryEntry?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PipelineHistoryEntry?> FindByIndexAsync(string userId, long index, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<PipelineHistoryEntry>> ListAsync(string userId, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<PipelineHistoryEntry>> QueryAsync(HistoryQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<PipelineHistoryEntry>> ListUnfinishedAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    readonly string _folder = Directory.CreateTempSubdirectory("cog-spool-").FullName;
    readonly FlakyAuditStore _store = new();
    readonly NoHistory _history = new();
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    readonly FakeDirectory _directory = new FakeDirectory().Bundle("tools", "1.0.0",
        Some.Command("echo", "when command is tools:echo allow"),
        Some.Command("deploy", "when command is tools:deploy allow"));

    string SpoolPath => Path.Combine(_folder, AuditSpool.FileName);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_command_that_completes_while_the_store_is_down_gets_its_record_in_chain_order_once_the_store_is_back()
    {
        // The store goes down while `deploy` runs on its relay.
        var executor = new FakeExecutor()
            .On("tools:deploy", call =>
            {
                _store.Down = true;
                return FakeExecutor.Echo(call) with { RelayId = "relay-1" };
            })
            .On("tools:echo", FakeExecutor.Echo);
        var spool = AuditSpool.Open(SpoolPath, _history);
        await using var writer = new AuditWriter(_store, TestAuditKeys.Default, spool, _time);
        var engine = new PipelineEngine(_directory, executor, new PipelineAuditLog(writer, "cog-a"), _time, PipelineEngineOptions.Default);

        var outcome = await engine.RunAsync(Some.Request("deploy web-7 | echo $body[0]") with { PipelineId = "p-1" }, Ct);

        // The caller is told that deploy ran and that its record is pending; the next stage was not dispatched.
        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        Assert.Equal(PipelineMessages.AuditPending("tools:deploy web-7"), outcome.Message);
        Assert.Equal(PipelineAuditState.Pending, outcome.Audit);
        Assert.Equal(["tools:deploy web-7"], executor.Calls.Select(c => c.InvocationText));
        Assert.Equal(["pipeline.started", "invocation.decided"], _store.Records.Select(r => r.Kind));
        Assert.Equal(3, spool.Count);

        // New work is refused while the store is down, and does not overtake the spooled records.
        var refused = await engine.RunAsync(Some.Request("echo later") with { PipelineId = "p-2" }, Ct);
        Assert.Equal(PipelineAuditState.Unavailable, refused.Audit);

        // The spool survives a restart: a new writer on the same file replays it when the store is back.
        _store.Down = false;
        await using (var restarted = new AuditWriter(_store, TestAuditKeys.Default, AuditSpool.Open(SpoolPath, _history), _time))
            await restarted.ReplaySpoolAsync(Ct);

        var records = _store.Records;
        Assert.Equal(["pipeline.started", "invocation.decided", "invocation.completed", "invocation.decided", "pipeline.ended"],
            records.Select(r => r.Kind));
        Assert.All(records, r => Assert.Equal("p-1", JsonDocument.Parse(r.PayloadJson).RootElement.GetProperty("pipeline_id").GetString()));
        Assert.Equal(("tools:deploy web-7", "ok"), (records[2].Command, records[2].Outcome));
        Assert.Contains("\"relay\":\"relay-1\"", records[2].PayloadJson, StringComparison.Ordinal);
        Assert.True(AuditChain.Verify(records, TestAuditKeys.Ring, []).IsIntact);
        Assert.Equal(0, AuditSpool.Open(SpoolPath, _history).Count);
    }

    [Fact]
    public async Task A_pipeline_that_ends_while_the_store_is_down_returns_its_output_with_its_record_pending()
    {
        var executor = new FakeExecutor().On("tools:deploy", call =>
        {
            _store.Down = true;
            return FakeExecutor.Echo(call);
        });
        var spool = AuditSpool.Open(SpoolPath, _history);
        await using var writer = new AuditWriter(_store, TestAuditKeys.Default, spool, _time);
        var engine = new PipelineEngine(_directory, executor, new PipelineAuditLog(writer), _time, PipelineEngineOptions.Default);

        var outcome = await engine.RunAsync(Some.Request("deploy web-7") with { PipelineId = "p-1" }, Ct);

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal(PipelineAuditState.Pending, outcome.Audit);
        Assert.Single(outcome.Items);
        Assert.Equal(["invocation.completed", "pipeline.ended"], SpooledKinds());

        // Back: the writer replays it on its own before anything newer.
        _store.Down = false;
        await writer.AppendAsync(new AuditEntry(_time.GetUtcNow(), "test.newer", null, null, null, "{}"), Ct);
        Assert.Equal(["pipeline.started", "invocation.decided", "invocation.completed", "pipeline.ended", "test.newer"],
            _store.Records.Select(r => r.Kind));
        Assert.Equal(0, spool.Count);
    }

    [Fact]
    public async Task A_history_update_is_spooled_and_replayed_and_a_torn_last_line_is_dropped()
    {
        var spool = AuditSpool.Open(SpoolPath, _history);
        spool.Append(new HistoryUpdate("p-1", PipelineState.Finished, 2, _time.GetUtcNow()));
        await File.AppendAllTextAsync(SpoolPath, "{\"audit\":{\"time\":", Ct); // a crash in the middle of an append

        var reopened = AuditSpool.Open(SpoolPath, _history);
        Assert.Equal(1, reopened.Count);
        await reopened.ReplayAsync(_ => Task.CompletedTask, AuditWriter.MaxBatch, Ct);

        Assert.Equal([new HistoryUpdate("p-1", PipelineState.Finished, 2, _time.GetUtcNow())], _history.Updates);
        Assert.Equal(0, AuditSpool.Open(SpoolPath, _history).Count);
    }

    [Fact]
    public void A_damaged_spool_line_is_reported_with_its_position()
    {
        File.WriteAllText(SpoolPath, "{\"history\":{\"pipeline_id\":\"p-1\",\"state\":\"Finished\",\"count\":1}}\nnot json\n");

        var error = Assert.Throws<InvalidDataException>(() => AuditSpool.Open(SpoolPath, _history));

        Assert.StartsWith($"{SpoolPath}, line 2: not a spooled audit or history record", error.Message, StringComparison.Ordinal);
    }

    string[] SpooledKinds() =>
        [.. File.ReadAllLines(SpoolPath).Select(static l => JsonDocument.Parse(l).RootElement.GetProperty("audit").GetProperty("kind").GetString()!)];
}
