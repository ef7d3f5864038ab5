using Cog.Runtime.Audit;
using Cog.Runtime.Tests.Bundles;
using Cog.Testing;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Tests.Audit;

/// <summary>A server's audit start on a real SQLite store: checkpoints, a truncation found against them, and a key
/// rotation.</summary>
public sealed class AuditStartupTests : IAsyncDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "cog-audit-start-" + Guid.NewGuid().ToString("N")[..12]);
    readonly CollectingLoggerFactory _logs = new();
    StoreWorld? _world;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    AuditCheckpointFiles Files => new([Path.Combine(_folder, "audit-checkpoints.jsonl")]);

    async Task<StoreWorld> WorldAsync() => _world ??= await StoreWorld.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
        _logs.Dispose();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    async Task<IReadOnlyList<AuditEntry>> StartAsync(AuditWriter writer, AuditKeyRing keys) =>
        await AuditStartup.RecordAsync((await WorldAsync()).Store.Audit, keys, Files, (await WorldAsync()).Time, _logs.CreateLogger("audit"), Ct);

    async Task<AuditVerification> VerifyAsync(AuditKeyRing keys) => await new AuditVerifier(keys, Files).VerifyAsync((await WorldAsync()).Store.Audit, Ct);

    static AuditEntry Entry(int i) => new(StoreWorld.Start.AddSeconds(i), "command_dispatched", "alice", "deployer:ship", "allowed", "{}");

    [Fact]
    public async Task A_log_truncated_behind_its_last_checkpoint_is_recorded_at_start_and_verification_keeps_reporting_it()
    {
        var world = await WorldAsync();
        await using (var writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default))
        await using (var checkpointer = new AuditCheckpointer(world.Store.Audit, TestAuditKeys.Default, Files, TimeSpan.FromMinutes(1), world.Time, _logs.CreateLogger("audit")))
        {
            await checkpointer.StartAsync(Ct);
            await writer.AppendAsync([.. Enumerable.Range(1, 6).Select(Entry)], Ct);
        }
        // Disposing wrote the shutdown checkpoint of record 6, to the file and the log.
        Assert.Equal(6, Files.Read().Checkpoints.Max(c => c.Sequence));
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Information && l.Text.StartsWith("Audit checkpoint: record 6, seal ", StringComparison.Ordinal));

        // Someone with database access cuts the tail off; the server starts again.
        await DeleteAfterAsync(world, 4);
        await using (var writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default))
        {
            var recorded = await StartAsync(writer, TestAuditKeys.Ring);
            Assert.Equal([AuditChain.TruncationDetectedKind], recorded.Select(e => e.Kind));
        }

        var head = (await world.Store.Audit.ReadHeadAsync(Ct))!;
        Assert.Equal((5L, AuditChain.TruncationDetectedKind), (head.Sequence, head.Kind));
        Assert.Contains("\"stored_head\":4,\"checkpoint_sequence\":6", head.PayloadJson, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Critical && l.Text.StartsWith("The audit log ends at record 4, but the checkpoint of", StringComparison.Ordinal));
        // The new record 5 is not the record 5 the checkpoint's chain had, and record 6 is still missing.
        var verification = await VerifyAsync(TestAuditKeys.Ring);
        Assert.Contains(verification.Findings, f => f is { Kind: AuditBreakKind.Truncated, Sequence: 6, LastSequence: 6 });
    }

    [Fact]
    public async Task A_new_key_is_recorded_by_a_rotation_record_sealed_with_it_and_the_log_still_verifies_with_the_old_key_kept()
    {
        var world = await WorldAsync();
        var old = AuditKey.Generate();
        await using (var writer = new AuditWriter(world.Store.Audit, old))
            await writer.AppendAsync([Entry(1), Entry(2)], Ct);

        var ring = new AuditKeyRing(TestAuditKeys.Default, [old]);
        await using (var writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default))
        {
            Assert.Equal([AuditChain.KeyRotatedKind], (await StartAsync(writer, ring)).Select(e => e.Kind));
            Assert.Empty(await StartAsync(writer, ring));
            await writer.AppendAsync(Entry(4), Ct);
        }

        var rotation = (await world.Store.Audit.ListAsync(new AuditQuery(Kind: AuditChain.KeyRotatedKind), Ct)).Single();
        Assert.Equal((3L, TestAuditKeys.Default.Id), (rotation.Sequence, rotation.KeyId));
        Assert.Equal($$"""{"from":"{{old.Id}}","to":"{{TestAuditKeys.Default.Id}}","head":2}""", rotation.PayloadJson);
        Assert.True((await VerifyAsync(ring)).IsIntact);
        Assert.Equal((AuditBreakKind.UnknownKey, 1L), ((await VerifyAsync(TestAuditKeys.Ring)).Kind, (await VerifyAsync(TestAuditKeys.Ring)).Sequence));
    }

    [Fact]
    public async Task A_key_file_is_created_owner_only_once_and_read_back_after()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "audit.key");
        var created = AuditKey.LoadOrCreate(path, out var wasCreated);
        var loaded = AuditKey.LoadOrCreate(path, out var createdAgain);

        Assert.True(wasCreated);
        Assert.False(createdAgain);
        Assert.Equal(created.Id, loaded.Id);
        Assert.Equal(AuditKey.Size, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        await File.WriteAllTextAsync(path, "short", Ct);
        var error = Assert.Throws<InvalidDataException>(() => AuditKey.Load(path));
        Assert.Equal($"The audit key file {path} must hold exactly 32 random bytes, not 5 (create one with: head -c 32 /dev/urandom > {path})", error.Message);
    }

    static async Task DeleteAfterAsync(StoreWorld world, long sequence)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={world.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM audit_records WHERE sequence > {sequence}";
        await command.ExecuteNonQueryAsync(Ct);
    }
}
