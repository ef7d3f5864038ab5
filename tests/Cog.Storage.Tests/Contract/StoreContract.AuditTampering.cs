using System.Globalization;
using Cog.Runtime.Audit;
using Cog.Testing;

namespace Cog.Storage.Tests.Contract;

/// <summary>The fourteen ways someone with full access to the database, but not to the audit key or the checkpoint
/// files, can tamper with the audit log (docs/operations.md lists them), each detected with its kind and place.</summary>
public abstract partial class StoreContract
{
    /// <summary>Each form with the first finding verification must report: kind, first and last record.</summary>
    public static TheoryData<string, AuditBreakKind, long, long> TamperingForms => new()
    {
        { "alter_field", AuditBreakKind.Altered, 5, 5 },
        { "alter_field_and_rehash", AuditBreakKind.Forged, 5, 5 },
        { "alter_and_reseal_after", AuditBreakKind.Forged, 5, 10 },
        { "delete_middle", AuditBreakKind.Missing, 5, 5 },
        { "delete_renumber_reseal", AuditBreakKind.Forged, 5, 9 },
        { "swap_two", AuditBreakKind.Renumbered, 3, 3 },
        { "insert_forged_middle", AuditBreakKind.Forged, 6, 11 },
        { "append_forged", AuditBreakKind.Forged, 11, 11 },
        { "truncate_tail", AuditBreakKind.Truncated, 7, 10 },
        { "empty_table", AuditBreakKind.Emptied, 1, 10 },
        { "replace_whole_table", AuditBreakKind.CheckpointMismatch, 10, 10 },
        { "change_time", AuditBreakKind.Altered, 5, 5 },
        { "change_previous_hash", AuditBreakKind.Altered, 5, 5 },
        { "replay_old_record", AuditBreakKind.Renumbered, 11, 11 },
    };

    [Theory]
    [MemberData(nameof(TamperingForms))]
    public async Task Every_tampering_form_is_detected_with_its_kind_and_place(string form, AuditBreakKind kind, long first, long last)
    {
        await Store.Audit.AppendAsync([.. Enumerable.Range(1, 10).Select(i => new AuditEntry(T0.AddSeconds(i), "command_dispatched", "alice", "deployer:ship", "allowed", $$"""{"n":{{i}}}"""))],
            TestAuditKeys.Default, Ct);
        var checkpoint = AuditCheckpoint.Create(TestAuditKeys.Default, (await Store.Audit.ReadHeadAsync(Ct))!, T0.AddMinutes(1));
        async Task<AuditVerification> VerifyWithCheckpointAsync() =>
            await AuditChain.VerifyAsync(Store.Audit.ReadAllAsync(Ct), TestAuditKeys.Ring, [checkpoint], null, Ct);
        Assert.True((await VerifyWithCheckpointAsync()).IsIntact);

        await TamperAsync(form);

        var verification = await VerifyWithCheckpointAsync();
        Assert.False(verification.IsIntact, form + " passed verification");
        var finding = verification.Findings[0];
        Assert.Equal((kind, first, last), (finding.Kind, finding.Sequence, finding.LastSequence));
    }

    async Task<AuditRecord> RecordAsync(long sequence) => (await Store.Audit.ListAsync(new AuditQuery(AfterSequence: sequence - 1, Limit: 1), Ct))[0];

    static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    async Task ResealKeylessFromAsync(long first)
    {
        var records = await Store.Audit.ListAsync(new AuditQuery(AfterSequence: first - 1, Limit: 10_000), Ct);
        var previous = first == 1 ? AuditChain.Genesis : (await RecordAsync(first - 1)).Hash;
        foreach (var r in records)
        {
            var hash = AuditChain.ComputeKeylessHash(r with { PreviousHash = previous });
            await ExecuteSqlAsync($"UPDATE audit_records SET previous_hash = '{previous}', hash = '{hash}' WHERE sequence = {Text(r.Sequence)}");
            previous = hash;
        }
    }

    async Task InsertAsync(AuditRecord r) => await ExecuteSqlAsync(
        "INSERT INTO audit_records (sequence, occurred_at, kind, actor, command, outcome, payload, previous_hash, hash, key_id) VALUES (" +
        $"{Text(r.Sequence)}, {Text(AuditChain.ToMicroseconds(r.Time))}, '{r.Kind}', '{r.Actor}', '{r.Command}', '{r.Outcome}', '{r.PayloadJson}', " +
        $"'{r.PreviousHash}', '{r.Hash}', {(r.KeyId is null ? "NULL" : $"'{r.KeyId}'")})");

    async Task RenumberAsync(long from, long to, int by)
    {
        // One row at a time, in an order that never collides on the primary key.
        var sequences = Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i);
        foreach (var s in by > 0 ? sequences.Reverse() : sequences)
            await ExecuteSqlAsync($"UPDATE audit_records SET sequence = {Text(s + by)} WHERE sequence = {Text(s)}");
    }

    async Task TamperAsync(string form)
    {
        switch (form)
        {
            case "alter_field":
                await ExecuteSqlAsync("UPDATE audit_records SET outcome = 'denied' WHERE sequence = 5");
                break;
            case "alter_field_and_rehash":
                await ExecuteSqlAsync("UPDATE audit_records SET outcome = 'denied' WHERE sequence = 5");
                var altered = await RecordAsync(5);
                await ExecuteSqlAsync($"UPDATE audit_records SET hash = '{AuditChain.ComputeKeylessHash(altered)}' WHERE sequence = 5");
                break;
            case "alter_and_reseal_after":
                await ExecuteSqlAsync("UPDATE audit_records SET outcome = 'denied' WHERE sequence = 5");
                await ResealKeylessFromAsync(5);
                break;
            case "delete_middle":
                await ExecuteSqlAsync("DELETE FROM audit_records WHERE sequence = 5");
                break;
            case "delete_renumber_reseal":
                await ExecuteSqlAsync("DELETE FROM audit_records WHERE sequence = 5");
                await RenumberAsync(6, 10, -1);
                await ResealKeylessFromAsync(5);
                break;
            case "swap_two":
                await ExecuteSqlAsync("UPDATE audit_records SET sequence = 1000 WHERE sequence = 3");
                await ExecuteSqlAsync("UPDATE audit_records SET sequence = 3 WHERE sequence = 7");
                await ExecuteSqlAsync("UPDATE audit_records SET sequence = 7 WHERE sequence = 1000");
                break;
            case "insert_forged_middle":
                await RenumberAsync(6, 10, 1);
                var before = await RecordAsync(5);
                await InsertAsync(before with { Sequence = 6, Kind = "role.granted", Actor = "mallory", Outcome = "ok", PayloadJson = "{}", PreviousHash = before.Hash });
                await ResealKeylessFromAsync(6);
                break;
            case "append_forged":
                var head = await RecordAsync(10);
                var forged = head with { Sequence = 11, Kind = "user.deleted", Actor = "admin", Command = "user:mallory", Outcome = "ok", PayloadJson = "{}", PreviousHash = head.Hash };
                await InsertAsync(forged with { Hash = AuditChain.ComputeKeylessHash(forged) });
                break;
            case "truncate_tail":
                await ExecuteSqlAsync("DELETE FROM audit_records WHERE sequence >= 7");
                break;
            case "empty_table":
                await ExecuteSqlAsync("DELETE FROM audit_records");
                break;
            case "replace_whole_table":
                await ExecuteSqlAsync("DELETE FROM audit_records");
                var previous = AuditChain.Genesis;
                for (var i = 1; i <= 10; i++)
                {
                    var fake = new AuditRecord(i, T0.AddSeconds(i), "command_dispatched", "mallory", "operable:echo", "allowed", "{}", previous, "");
                    fake = fake with { Hash = AuditChain.ComputeKeylessHash(fake) };
                    await InsertAsync(fake);
                    previous = fake.Hash;
                }
                break;
            case "change_time":
                await ExecuteSqlAsync($"UPDATE audit_records SET occurred_at = occurred_at + 1000000 WHERE sequence = 5");
                break;
            case "change_previous_hash":
                await ExecuteSqlAsync($"UPDATE audit_records SET previous_hash = '{new string('f', 64)}' WHERE sequence = 5");
                break;
            case "replay_old_record":
                await InsertAsync((await RecordAsync(3)) with { Sequence = 11 });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(form), form, "not a tampering form");
        }
    }
}
