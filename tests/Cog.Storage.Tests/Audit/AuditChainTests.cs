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
}
