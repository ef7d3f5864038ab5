using System.Globalization;
using Cog.Runtime.Audit;

namespace Cog.Testing;

/// <summary>The fourteen ways someone with full access to the database, but neither the audit key nor the checkpoint
/// files, can tamper with the audit log (docs/operations.md lists them), applied with plain SQL to the ten records after
/// record <paramref name="baseSequence"/>, the last of which a checkpoint saw. The attacker's only sealing tool is the
/// public keyless hash (<see cref="AuditChain.ComputeKeylessHash"/>).</summary>
public sealed class AuditTampering(IAuditStore store, Func<string, Task<int>> executeSql, long baseSequence = 0)
{
    static readonly DateTimeOffset Time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Each form with the first finding verification must report, relative to the base: kind, first and last
    /// record.</summary>
    public static IReadOnlyList<(string Form, AuditBreakKind Kind, long First, long Last)> Forms { get; } =
    [
        ("alter_field", AuditBreakKind.Altered, 5, 5),
        ("alter_field_and_rehash", AuditBreakKind.Forged, 5, 5),
        ("alter_and_reseal_after", AuditBreakKind.Forged, 5, 10),
        ("delete_middle", AuditBreakKind.Missing, 5, 5),
        ("delete_renumber_reseal", AuditBreakKind.Forged, 5, 9),
        ("swap_two", AuditBreakKind.Renumbered, 3, 3),
        ("insert_forged_middle", AuditBreakKind.Forged, 6, 11),
        ("append_forged", AuditBreakKind.Forged, 11, 11),
        ("truncate_tail", AuditBreakKind.Truncated, 7, 10),
        ("empty_table", AuditBreakKind.Emptied, 1, 10),
        ("replace_whole_table", AuditBreakKind.CheckpointMismatch, 10, 10),
        ("change_time", AuditBreakKind.Altered, 5, 5),
        ("change_previous_hash", AuditBreakKind.Altered, 5, 5),
        ("replay_old_record", AuditBreakKind.Renumbered, 11, 11),
    ];

    /// <summary>The expected first finding of <paramref name="form"/> in absolute sequence numbers (emptying starts at 1).</summary>
    public (AuditBreakKind Kind, long First, long Last) Expected(string form)
    {
        var (_, kind, first, last) = Forms.Single(f => f.Form == form);
        return (kind, kind == AuditBreakKind.Emptied ? 1 : S(first), S(last));
    }

    long S(long relative) => baseSequence + relative;

    async Task<AuditRecord> RecordAsync(long sequence) => (await store.ListAsync(new AuditQuery(AfterSequence: sequence - 1, Limit: 1), CancellationToken.None))[0];

    static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    async Task ResealKeylessFromAsync(long first)
    {
        var records = await store.ListAsync(new AuditQuery(AfterSequence: first - 1, Limit: 10_000), CancellationToken.None);
        var previous = first == 1 ? AuditChain.Genesis : (await RecordAsync(first - 1)).Hash;
        foreach (var r in records)
        {
            var hash = AuditChain.ComputeKeylessHash(r with { PreviousHash = previous });
            await executeSql($"UPDATE audit_records SET previous_hash = '{previous}', hash = '{hash}' WHERE sequence = {Text(r.Sequence)}");
            previous = hash;
        }
    }

    async Task InsertAsync(AuditRecord r) => await executeSql(
        "INSERT INTO audit_records (sequence, occurred_at, kind, actor, command, outcome, payload, previous_hash, hash, key_id) VALUES (" +
        $"{Text(r.Sequence)}, {Text(AuditChain.ToMicroseconds(r.Time))}, '{r.Kind}', {Literal(r.Actor)}, {Literal(r.Command)}, {Literal(r.Outcome)}, '{r.PayloadJson}', " +
        $"'{r.PreviousHash}', '{r.Hash}', {Literal(r.KeyId)})");

    /// <summary>A nullable column's SQL literal: a copied record keeps its nulls (an empty string would change its seal).</summary>
    static string Literal(string? value) => value is null ? "NULL" : $"'{value}'";

    async Task RenumberAsync(long from, long to, int by)
    {
        // One row at a time, in an order that never collides on the primary key.
        var sequences = Enumerable.Range(0, (int)(to - from + 1)).Select(i => from + i);
        foreach (var s in by > 0 ? sequences.Reverse() : sequences)
            await executeSql($"UPDATE audit_records SET sequence = {Text(s + by)} WHERE sequence = {Text(s)}");
    }

    /// <summary>Applies <paramref name="form"/> to the ten records after the base.</summary>
    public async Task ApplyAsync(string form)
    {
        switch (form)
        {
            case "alter_field":
                await executeSql($"UPDATE audit_records SET outcome = 'denied' WHERE sequence = {S(5)}");
                break;
            case "alter_field_and_rehash":
                await executeSql($"UPDATE audit_records SET outcome = 'denied' WHERE sequence = {S(5)}");
                var altered = await RecordAsync(S(5));
                await executeSql($"UPDATE audit_records SET hash = '{AuditChain.ComputeKeylessHash(altered)}' WHERE sequence = {S(5)}");
                break;
            case "alter_and_reseal_after":
                await executeSql($"UPDATE audit_records SET outcome = 'denied' WHERE sequence = {S(5)}");
                await ResealKeylessFromAsync(S(5));
                break;
            case "delete_middle":
                await executeSql($"DELETE FROM audit_records WHERE sequence = {S(5)}");
                break;
            case "delete_renumber_reseal":
                await executeSql($"DELETE FROM audit_records WHERE sequence = {S(5)}");
                await RenumberAsync(S(6), S(10), -1);
                await ResealKeylessFromAsync(S(5));
                break;
            case "swap_two":
                await executeSql($"UPDATE audit_records SET sequence = {S(1000)} WHERE sequence = {S(3)}");
                await executeSql($"UPDATE audit_records SET sequence = {S(3)} WHERE sequence = {S(7)}");
                await executeSql($"UPDATE audit_records SET sequence = {S(7)} WHERE sequence = {S(1000)}");
                break;
            case "insert_forged_middle":
                await RenumberAsync(S(6), S(10), 1);
                var before = await RecordAsync(S(5));
                await InsertAsync(before with { Sequence = S(6), Kind = "role.granted", Actor = "mallory", Outcome = "ok", PayloadJson = "{}", PreviousHash = before.Hash });
                await ResealKeylessFromAsync(S(6));
                break;
            case "append_forged":
                var head = await RecordAsync(S(10));
                var forged = head with { Sequence = S(11), Kind = "user.deleted", Actor = "admin", Command = "user:mallory", Outcome = "ok", PayloadJson = "{}", PreviousHash = head.Hash };
                await InsertAsync(forged with { Hash = AuditChain.ComputeKeylessHash(forged) });
                break;
            case "truncate_tail":
                await executeSql($"DELETE FROM audit_records WHERE sequence >= {S(7)}");
                break;
            case "empty_table":
                await executeSql("DELETE FROM audit_records");
                break;
            case "replace_whole_table":
                await executeSql("DELETE FROM audit_records");
                var previous = AuditChain.Genesis;
                for (var i = 1; i <= S(10); i++)
                {
                    var fake = new AuditRecord(i, Time.AddSeconds(i), "command_dispatched", "mallory", "operable:echo", "allowed", "{}", previous, "");
                    fake = fake with { Hash = AuditChain.ComputeKeylessHash(fake) };
                    await InsertAsync(fake);
                    previous = fake.Hash;
                }
                break;
            case "change_time":
                await executeSql($"UPDATE audit_records SET occurred_at = occurred_at + 1000000 WHERE sequence = {S(5)}");
                break;
            case "change_previous_hash":
                await executeSql($"UPDATE audit_records SET previous_hash = '{new string('f', 64)}' WHERE sequence = {S(5)}");
                break;
            case "replay_old_record":
                await InsertAsync((await RecordAsync(S(3))) with { Sequence = S(11) });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(form), form, "not a tampering form");
        }
    }
}
