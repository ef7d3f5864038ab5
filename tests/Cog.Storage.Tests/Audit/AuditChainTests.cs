using Cog.Runtime.Audit;

namespace Cog.Storage.Tests.Audit;

public class AuditChainTests
{
    static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static IReadOnlyList<AuditRecord> Chain(int count) => AuditChain.Seal(0, AuditChain.Genesis,
        [.. Enumerable.Range(1, count).Select(i => new AuditEntry(T0.AddTicks(i * 11L), "k", "alice", null, null, $"{{\"i\":{i}}}"))]);

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var verification = AuditChain.Verify(Chain(4));
        Assert.True(verification.IsIntact);
        Assert.Equal(4, verification.Checked);
    }

    [Fact]
    public void Times_are_sealed_to_the_microsecond()
    {
        var record = AuditChain.Seal(0, AuditChain.Genesis, [new AuditEntry(T0.AddTicks(17), "k", null, null, null, "{}")])[0];
        Assert.Equal(T0.AddTicks(10), record.Time);
    }

    [Fact]
    public void A_chain_continues_from_the_last_record()
    {
        var first = Chain(2);
        var next = AuditChain.Seal(2, first[1].Hash, [new AuditEntry(T0, "k", null, null, null, "{}")]);
        Assert.True(AuditChain.Verify([.. first, .. next]).IsIntact);
    }

    [Fact]
    public void A_deleted_record_is_named()
    {
        var records = Chain(4).Where(r => r.Sequence != 2);
        var verification = AuditChain.Verify(records);
        Assert.Equal((AuditBreakKind.Missing, 2L), (verification.Kind, verification.Sequence));
    }

    [Fact]
    public void A_deleted_first_record_is_named()
    {
        var verification = AuditChain.Verify(Chain(3).Skip(1));
        Assert.Equal((AuditBreakKind.Missing, 1L), (verification.Kind, verification.Sequence));
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
        var verification = AuditChain.Verify(records);
        Assert.Equal((AuditBreakKind.Altered, 2L), (verification.Kind, verification.Sequence));
    }

    [Fact]
    public void Records_out_of_order_are_named()
    {
        var records = Chain(3);
        var verification = AuditChain.Verify([records[0], records[2], records[1]]);
        Assert.Equal(AuditBreakKind.Missing, verification.Kind);
        Assert.Equal(2, verification.Sequence);

        var repeated = AuditChain.Verify([records[0], records[1], records[1]]);
        Assert.Equal((AuditBreakKind.OutOfOrder, 2L), (repeated.Kind, repeated.Sequence));
        Assert.Equal("Audit record 2 is out of order: it comes after record 2", repeated.Message);
    }

    [Fact]
    public void A_record_moved_with_its_sequence_rewritten_is_named()
    {
        var records = Chain(3);
        var verification = AuditChain.Verify([records[0], records[2] with { Sequence = 2 }, records[1] with { Sequence = 3 }]);
        Assert.Equal((AuditBreakKind.BrokenLink, 2L), (verification.Kind, verification.Sequence));
        Assert.Equal("Audit record 2 does not follow the record before it (records were moved, replaced or deleted)", verification.Message);
    }

    // Pins the canonical bytes (AuditChain's remarks): a log written by an earlier version must still verify.
    [Fact]
    public void Hashes_are_stable_across_versions()
    {
        var time = T0.AddTicks(123_456_789);
        var records = AuditChain.Seal(41, new string('a', 64),
        [
            new AuditEntry(time, "invocation.decided", "alice", "operable:echo héllo ☃", "allowed", "{\"text\":\"h\\u00e9llo ☃ 𝄞\"}"),
            new AuditEntry(time.AddDays(-20000), "pipeline.ended", null, null, null, "{}"),
        ]);
        Assert.Equal("ce75ecfc4156bd1bf77db0467ff59eb19a4793bfc61f2f724d1943ed5f644a8e", records[0].Hash);
        Assert.Equal("ad39e1384803067373cc6886c081970720a03803ae7e1060ad810a82a3eb3165", records[1].Hash);
        Assert.Equal(records[0].Hash, records[1].PreviousHash);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5000)]
    public void The_hash_is_SHA_256_of_the_documented_canonical_bytes(int payloadLength)
    {
        var payload = "{\"big\":\"" + new string('é', payloadLength) + "\"}";
        var record = AuditChain.Seal(6, AuditChain.Genesis, [new AuditEntry(T0, "k", null, "c", null, payload)])[0];
        Assert.Equal(DocumentedHash(record), record.Hash);
    }

    /// <summary>AuditChain's remarks, written out plainly.</summary>
    static string DocumentedHash(AuditRecord record)
    {
        var bytes = new List<byte>();
        void Add(string? value)
        {
            var length = new byte[4];
            var data = value is null ? [] : System.Text.Encoding.UTF8.GetBytes(value);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, value is null ? -1 : data.Length);
            bytes.AddRange(length);
            bytes.AddRange(data);
        }
        Add(record.PreviousHash);
        Add("cog-audit-v1");
        Add(record.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(AuditChain.ToMicroseconds(record.Time).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(record.Kind);
        Add(record.Actor);
        Add(record.Command);
        Add(record.Outcome);
        Add(record.PayloadJson);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
    }
}
