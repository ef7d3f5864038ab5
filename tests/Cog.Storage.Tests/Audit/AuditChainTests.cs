using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cog.Runtime.Audit;
using Cog.Testing;

namespace Cog.Storage.Tests.Audit;

public class AuditChainTests
{
    static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly AuditKey Key = TestAuditKeys.Default;
    static readonly AuditKeyRing Ring = TestAuditKeys.Ring;

    static AuditEntry Entry(int i, string kind = "k") => new(T0.AddTicks(i * 11L), kind, "alice", null, null, $"{{\"i\":{i}}}");

    static IReadOnlyList<AuditRecord> Chain(int count, AuditKey? key = null) =>
        AuditChain.Seal(key ?? Key, 0, AuditChain.Genesis, [.. Enumerable.Range(1, count).Select(i => Entry(i))]);

    static AuditVerification Verify(IEnumerable<AuditRecord> records, AuditKeyRing? ring = null, params AuditCheckpoint[] checkpoints) =>
        AuditChain.Verify(records, ring ?? Ring, checkpoints);

    static (AuditBreakKind, long, long) First(AuditVerification verification) =>
        (verification.Findings[0].Kind, verification.Findings[0].Sequence, verification.Findings[0].LastSequence);

    /// <summary>A keyless (cog-audit-v1) chain, as written before the chain was keyed.</summary>
    static List<AuditRecord> KeylessChain(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var record = new AuditRecord(i, T0.AddSeconds(i), "k", "alice", null, null, "{}", previous, "");
            record = record with { Hash = AuditChain.ComputeKeylessHash(record) };
            records.Add(record);
            previous = record.Hash;
        }
        return records;
    }

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var verification = Verify(Chain(4));
        Assert.True(verification.IsIntact);
        Assert.Equal(4, verification.Checked);
        Assert.Equal("The audit log is intact: 4 records verified", verification.Message);
    }

    [Fact]
    public void Records_name_the_key_that_sealed_them_and_times_are_kept_to_the_microsecond()
    {
        var record = AuditChain.Seal(Key, 0, AuditChain.Genesis, [new AuditEntry(T0.AddTicks(17), "k", null, null, null, "{}")])[0];
        Assert.Equal(T0.AddTicks(10), record.Time);
        Assert.Equal(Key.Id, record.KeyId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()))[..16], Key.Id);
    }

    [Fact]
    public void A_chain_continues_from_the_last_record()
    {
        var first = Chain(2);
        var next = AuditChain.Seal(Key, 2, first[1].Hash, [Entry(3)]);
        Assert.True(Verify([.. first, .. next]).IsIntact);
    }

    [Fact]
    public void A_deleted_record_is_named()
    {
        var verification = Verify(Chain(4).Where(r => r.Sequence != 2));
        Assert.Equal((AuditBreakKind.Missing, 2L, 2L), First(verification));
        Assert.Equal("Audit record 2 is missing: the log goes on at record 3 (deleted)", verification.Message);
        Assert.Single(verification.Findings);
    }

    [Fact]
    public void A_deleted_first_record_is_named()
    {
        Assert.Equal((AuditBreakKind.Missing, 1L, 1L), First(Verify(Chain(3).Skip(1))));
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("actor")]
    [InlineData("command")]
    [InlineData("outcome")]
    [InlineData("payload")]
    [InlineData("time")]
    public void An_altered_field_is_named(string field)
    {
        var records = Chain(3).ToArray();
        records[1] = field switch
        {
            "kind" => records[1] with { Kind = "other" },
            "actor" => records[1] with { Actor = null },
            "command" => records[1] with { Command = "" },
            "outcome" => records[1] with { Outcome = "allowed" },
            "payload" => records[1] with { PayloadJson = "{\"i\": 2}" },
            _ => records[1] with { Time = records[1].Time.AddTicks(10) },
        };
        var verification = Verify(records);
        Assert.Equal((AuditBreakKind.Altered, 2L, 2L), First(verification));
        Assert.Equal("Audit record 2 was altered: the content does not match the seal", verification.Message);
    }

    [Fact]
    public void A_record_re_sealed_without_the_key_is_forged_and_so_is_everything_re_sealed_after_it()
    {
        var records = Chain(5).ToArray();
        var previous = records[1].Hash;
        for (var i = 2; i < 5; i++)
        {
            var changed = records[i] with { PreviousHash = previous, Outcome = i == 2 ? "denied" : records[i].Outcome };
            records[i] = changed with { Hash = AuditChain.ComputeKeylessHash(changed) };
            previous = records[i].Hash;
        }
        var verification = Verify(records);
        Assert.Equal((AuditBreakKind.Forged, 3L, 5L), First(verification));
        Assert.Equal("Audit records 3–5 are forged: the seal was not made with the audit key (written or re-sealed without it)", verification.Message);
    }

    [Fact]
    public void Records_out_of_order_are_named()
    {
        var records = Chain(3);
        var repeated = Verify([records[0], records[1], records[1]]);
        Assert.Equal((AuditBreakKind.OutOfOrder, 2L, 2L), First(repeated));
        Assert.Equal("Audit record 2 is out of order: it comes after record 2", repeated.Message);
    }

    [Fact]
    public void Records_moved_with_their_sequence_rewritten_are_named_with_where_they_were_sealed()
    {
        var records = Chain(3);
        var verification = Verify([records[0], records[2] with { Sequence = 2 }, records[1] with { Sequence = 3 }]);
        Assert.Equal((AuditBreakKind.Renumbered, 2L, 2L), First(verification));
        Assert.Equal("Audit record 2 was sealed as record 3: moved, renumbered or replayed", verification.Message);
        Assert.Contains(verification.Findings, f => f is { Kind: AuditBreakKind.Renumbered, Sequence: 3 } &&
            f.Message == "Audit record 3 was sealed as record 2: moved, renumbered or replayed");
    }

    [Fact]
    public void Records_sealed_with_a_key_not_configured_cannot_be_checked_and_say_so()
    {
        var other = AuditKey.Generate();
        var verification = Verify(Chain(3, other));
        Assert.Equal((AuditBreakKind.UnknownKey, 1L, 3L), First(verification));
        Assert.Equal($"Audit records 1–3 are sealed with key {other.Id}, which is not configured: they cannot be checked (add the key file to Cog:Audit:PreviousKeyFiles)",
            verification.Message);
    }

    [Fact]
    public void The_key_changes_only_at_a_rotation_record_and_a_retired_key_cannot_seal_after_it()
    {
        var old = AuditKey.Generate();
        var ring = new AuditKeyRing(Key, [old]);
        var before = Chain(2, old);
        var rotated = AuditChain.Seal(Key, 2, before[1].Hash, [Entry(3, AuditChain.KeyRotatedKind), Entry(4)]);
        Assert.True(Verify([.. before, .. rotated], ring).IsIntact);

        var withoutRotation = AuditChain.Seal(Key, 2, before[1].Hash, [Entry(3)]);
        Assert.Equal((AuditBreakKind.Forged, 3L, 3L), First(Verify([.. before, .. withoutRotation], ring)));

        var retiredAfter = AuditChain.Seal(old, 4, rotated[1].Hash, [Entry(5)]);
        var verification = Verify([.. before, .. rotated, .. retiredAfter], ring);
        Assert.Equal((AuditBreakKind.Forged, 5L, 5L), First(verification));
        Assert.Equal($"Audit record 5 is forged: sealed with key {old.Id}, but the chain uses key {Key.Id} and no rotation record moved it", verification.Message);
    }

    [Fact]
    public void A_keyless_prefix_verifies_but_a_keyless_record_after_a_keyed_one_is_forged()
    {
        var keyless = KeylessChain(3);
        var keyed = AuditChain.Seal(Key, 3, keyless[2].Hash, [Entry(4, AuditChain.KeyRotatedKind)]);
        Assert.True(Verify([.. keyless, .. keyed]).IsIntact);

        var appended = new AuditRecord(5, T0, "user.deleted", "admin", null, "ok", "{}", keyed[0].Hash, "");
        appended = appended with { Hash = AuditChain.ComputeKeylessHash(appended) };
        var verification = Verify([.. keyless, .. keyed, appended]);
        Assert.Equal((AuditBreakKind.Forged, 5L, 5L), First(verification));
        Assert.Equal("Audit record 5 is forged: keyless, but the chain is keyed since record 4", verification.Message);
    }

    [Fact]
    public void Checkpoints_find_a_truncated_an_emptied_and_a_replaced_log_and_forged_checkpoints()
    {
        var records = Chain(5);
        var checkpoint = AuditCheckpoint.Create(Key, records[4], T0.AddMinutes(1));
        Assert.True(Verify(records, null, checkpoint).IsIntact);

        var truncated = Verify(records.Take(3), null, checkpoint);
        Assert.Equal((AuditBreakKind.Truncated, 4L, 5L), First(truncated));
        Assert.Equal("Audit records 4–5 are missing from the end of the log: the checkpoint of 2025-01-01T00:01:00.000000Z saw record 5 (truncated)", truncated.Message);

        var emptied = Verify([], null, checkpoint);
        Assert.Equal((AuditBreakKind.Emptied, 1L, 5L), First(emptied));
        Assert.Equal("The audit log is empty, but the checkpoint of 2025-01-01T00:01:00.000000Z saw 5 records (emptied)", emptied.Message);

        var replaced = Verify(KeylessChain(5), null, checkpoint);
        Assert.Equal((AuditBreakKind.CheckpointMismatch, 5L, 5L), First(replaced));

        var forged = Verify(records, null, checkpoint with { Sequence = 9, Source = "cp.jsonl:2" });
        Assert.Equal((AuditBreakKind.CheckpointInvalid, 9L, 9L), First(forged));
        Assert.Equal("The checkpoint of record 9 at cp.jsonl:2 is not signed by a configured audit key: the checkpoint file was tampered with", forged.Message);
    }

    [Fact]
    public void A_log_forged_throughout_gives_a_bounded_list_of_findings()
    {
        var records = Chain(1000).Select((r, i) => i % 2 == 0 ? r with { Hash = new string('a', 64) } : r with { Sequence = r.Sequence + 5000 });
        var verification = Verify(records);
        Assert.Equal(AuditVerification.MaxFindings, verification.Findings.Count);
        Assert.True(verification.Omitted > 0);
    }

    // Pins the keyless canonical bytes: a log written before the chain was keyed must still verify.
    [Fact]
    public void Keyless_hashes_are_stable_across_versions()
    {
        var time = T0.AddTicks(123_456_789);
        var first = new AuditRecord(42, time, "invocation.decided", "alice", "operable:echo héllo ☃", "allowed", "{\"text\":\"h\\u00e9llo ☃ 𝄞\"}",
            new string('a', 64), "");
        var second = new AuditRecord(43, time.AddDays(-20000), "pipeline.ended", null, null, null, "{}",
            "ce75ecfc4156bd1bf77db0467ff59eb19a4793bfc61f2f724d1943ed5f644a8e", "");
        Assert.Equal("ce75ecfc4156bd1bf77db0467ff59eb19a4793bfc61f2f724d1943ed5f644a8e", AuditChain.ComputeKeylessHash(first));
        Assert.Equal("ad39e1384803067373cc6886c081970720a03803ae7e1060ad810a82a3eb3165", AuditChain.ComputeKeylessHash(second));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5000)]
    public void The_seal_is_HMAC_SHA_256_of_the_documented_canonical_bytes(int payloadLength)
    {
        var payload = "{\"big\":\"" + new string('é', payloadLength) + "\"}";
        var record = AuditChain.Seal(Key, 6, AuditChain.Genesis, [new AuditEntry(T0, "k", null, "c", null, payload)])[0];
        var bytes = Canonical(record.PreviousHash, "cog-audit-v2", Key.Id, Number(record.Sequence), Number(AuditChain.ToMicroseconds(record.Time)),
            record.Kind, record.Actor, record.Command, record.Outcome, record.PayloadJson);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), bytes)), record.Hash);
    }

    [Fact]
    public void A_checkpoint_is_signed_over_the_documented_canonical_bytes_and_round_trips_as_a_json_line()
    {
        var head = Chain(3)[2];
        var checkpoint = AuditCheckpoint.Create(Key, head, T0.AddTicks(1234567));
        var bytes = Canonical("cog-audit-checkpoint-v1", Key.Id, "3", head.Hash, Number(AuditChain.ToMicroseconds(checkpoint.Time)));
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), bytes)), checkpoint.Mac);
        Assert.Equal($$"""{"sequence":3,"hash":"{{head.Hash}}","time":"2025-01-01T00:00:00.123456Z","key":"{{Key.Id}}","mac":"{{checkpoint.Mac}}"}""",
            checkpoint.ToJsonLine());
        Assert.True(AuditCheckpoint.TryParse(checkpoint.ToJsonLine(), out var read));
        Assert.Equal(checkpoint, read);
        Assert.True(read.IsSignedBy(Ring));
        Assert.False((read with { Time = read.Time.AddTicks(10) }).IsSignedBy(Ring));
    }

    static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    static byte[] Canonical(params string?[] fields)
    {
        var bytes = new List<byte>();
        foreach (var value in fields)
        {
            var length = new byte[4];
            var data = value is null ? [] : Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32BigEndian(length, value is null ? -1 : data.Length);
            bytes.AddRange(length);
            bytes.AddRange(data);
        }
        return [.. bytes];
    }
}
