using Cog.Testing;
using System.Collections.Concurrent;
using Cog.Runtime.Audit;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Audit;

public class AuditWriterTests
{
    /// <summary>An audit store in memory that seals records with the real chain, and can be held or made to fail.</summary>
    sealed class MemoryAuditStore : IAuditStore
    {
        readonly List<AuditRecord> _records = [];
        public ConcurrentQueue<int> BatchSizes { get; } = new();
        public TaskCompletionSource Gate { get; set; } = CompletedGate();
        public Exception? Failure { get; set; }

        static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }

        public IReadOnlyList<AuditRecord> Records
        {
            get { lock (_records) return [.. _records]; }
        }

        public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditKey key, CancellationToken cancellationToken)
        {
            await Gate.Task;
            if (Failure is not null)
                throw Failure;
            BatchSizes.Enqueue(entries.Count);
            lock (_records)
            {
                var last = _records.Count == 0 ? null : _records[^1];
                var sealedRecords = AuditChain.Seal(key, last?.Sequence ?? 0, last?.Hash ?? AuditChain.Genesis, entries);
                _records.AddRange(sealedRecords);
                return sealedRecords;
            }
        }

        public Task<AuditRecord?> ReadHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    static AuditEntry Entry(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), "test", "alice", $"cmd {i}", "ok", "{}");

    [Fact]
    public async Task Entries_waiting_while_a_batch_is_written_go_together_in_the_next_one()
    {
        var store = new MemoryAuditStore { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var writer = new AuditWriter(store, TestAuditKeys.Default);

        var first = writer.AppendAsync(Entry(0), TestContext.Current.CancellationToken);
        // The first batch is held in the store; these queue up behind it.
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var rest = Enumerable.Range(1, 100).Select(i => writer.AppendAsync(Entry(i), TestContext.Current.CancellationToken)).ToArray();
        Assert.False(first.IsCompleted);
        store.Gate.SetResult();
        await Task.WhenAll([first, .. rest]);

        Assert.Equal(101, store.Records.Count);
        Assert.True(store.BatchSizes.Count <= 3, $"{store.BatchSizes.Count} batches: {string.Join(", ", store.BatchSizes)}");
        Assert.Equal(Enumerable.Range(0, 101).Select(i => $"cmd {i}"), store.Records.Select(r => r.Command));
        Assert.True(AuditChain.Verify(store.Records, TestAuditKeys.Ring, []).IsIntact);
    }

    [Fact]
    public async Task A_failed_write_fails_every_caller_of_that_batch_and_the_writer_goes_on()
    {
        var store = new MemoryAuditStore { Failure = new IOException("disk full") };
        await using var writer = new AuditWriter(store, TestAuditKeys.Default);

        var failed = await Assert.ThrowsAsync<IOException>(() => writer.AppendAsync(Entry(0), TestContext.Current.CancellationToken));
        Assert.Equal("disk full", failed.Message);

        store.Failure = null;
        await writer.AppendAsync(Entry(1), TestContext.Current.CancellationToken);
        Assert.Equal("cmd 1", Assert.Single(store.Records).Command);
    }

    [Fact]
    public async Task After_disposal_nothing_more_is_accepted_but_what_was_queued_is_written()
    {
        var store = new MemoryAuditStore();
        var writer = new AuditWriter(store, TestAuditKeys.Default);
        var queued = writer.AppendAsync(Entry(0), TestContext.Current.CancellationToken);

        await writer.DisposeAsync();

        await queued;
        Assert.Single(store.Records);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.AppendAsync(Entry(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_pipeline_leaves_a_verifiable_chain_of_records_naming_the_user_the_invocation_and_the_decision()
    {
        var store = new MemoryAuditStore();
        await using var writer = new AuditWriter(store, TestAuditKeys.Default);
        var directory = new FakeDirectory().Bundle("tools", "1.0.0",
            Some.Command("echo", "when command is tools:echo allow"),
            Some.Command("secret", "when command is tools:secret must have tools:admin"));
        var engine = new PipelineEngine(directory, new FakeExecutor().On("tools:echo", FakeExecutor.Echo), new PipelineAuditLog(writer),
            new FakeTimeProvider(), PipelineEngineOptions.Default);

        await engine.RunAsync(Some.Request("echo hi"), TestContext.Current.CancellationToken);
        await engine.RunAsync(Some.Request("secret x"), TestContext.Current.CancellationToken);

        var records = store.Records;
        Assert.True(AuditChain.Verify(records, TestAuditKeys.Ring, []).IsIntact);
        Assert.Equal(
            ["pipeline.started", "invocation.decided", "invocation.completed", "pipeline.ended", "pipeline.started", "invocation.decided", "pipeline.ended"],
            records.Select(r => r.Kind));
        var denial = records[5];
        Assert.Equal(("alice", "tools:secret x", "denied"), (denial.Actor, denial.Command, denial.Outcome));
        Assert.Contains("\"rule\":\"when command is tools:secret must have tools:admin\"", denial.PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"missing\":[\"tools:admin\"]", denial.PayloadJson, StringComparison.Ordinal);
        Assert.Equal("planning_failed", records[6].Outcome);
    }
}
