using Cog.Runtime.Audit;
using Cog.Testing;

namespace Cog.Storage.Tests.Audit;

public sealed class AuditCheckpointFilesTests : IDisposable
{
    static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    readonly string _folder = Path.Combine(Path.GetTempPath(), "cog-checkpoints-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static AuditCheckpoint Checkpoint(int sequence)
    {
        var head = AuditChain.Seal(TestAuditKeys.Default, sequence - 1, AuditChain.Genesis, [new AuditEntry(T0, "k", null, null, null, "{}")])[0];
        return AuditCheckpoint.Create(TestAuditKeys.Default, head, T0.AddSeconds(sequence));
    }

    [Fact]
    public void Checkpoints_go_to_every_file_and_a_torn_last_line_is_ignored_then_cut_off()
    {
        var primary = Path.Combine(_folder, "data", "audit-checkpoints.jsonl");
        var copy = Path.Combine(_folder, "elsewhere", "copy.jsonl");
        var files = new AuditCheckpointFiles([primary, copy]);
        files.Append(Checkpoint(1));
        File.AppendAllText(primary, """{"sequence":2,"ha"""); // a crash in the middle of a write

        var (checkpoints, unreadable) = files.Read();
        Assert.Equal([1L, 1L], checkpoints.Select(c => c.Sequence));
        Assert.Empty(unreadable);

        files.Append(Checkpoint(3));
        var (after, unreadableAfter) = files.Read();
        Assert.Equal([1L, 3L, 1L, 3L], after.Select(c => c.Sequence));
        Assert.Empty(unreadableAfter);
        Assert.Equal($"{primary}:2", after[1].Source);
    }

    [Fact]
    public void A_line_that_is_not_a_checkpoint_is_a_finding()
    {
        var path = Path.Combine(_folder, "audit-checkpoints.jsonl");
        var files = new AuditCheckpointFiles([path]);
        files.Append(Checkpoint(1));
        File.AppendAllText(path, "not json\n");

        var (checkpoints, unreadable) = files.Read();
        var verification = AuditChain.Verify([], TestAuditKeys.Ring, checkpoints, unreadable);
        Assert.Contains(verification.Findings, f => f.Kind == AuditBreakKind.CheckpointInvalid &&
            f.Message == $"{path}:2 is not a checkpoint: the checkpoint file was tampered with");
    }
}
