using Cog.Runtime.Audit;
using Cog.Runtime.Identity;
using Cog.Runtime.Storage;
using Cog.Testing;

namespace Cog.Storage.Tests.Contract;

public abstract partial class StoreContract
{
    static AuditEntry Entry(int i, string actor = "alice", string? command = "deployer:ship", string? outcome = "allowed") =>
        new(T0.AddSeconds(i), "command_dispatched", actor, command, outcome, $$"""{"n":{{i}},"text":"ship \"prod\" ü"}""");

    async Task<IReadOnlyList<AuditRecord>> AppendFiveAsync() =>
        await Store.Audit.AppendAsync([Entry(1), Entry(2, "bob"), Entry(3, outcome: "denied"), Entry(4, command: null), Entry(5, "bob", "other:cmd")], TestAuditKeys.Default, Ct);

    async Task<AuditVerification> VerifyAsync() => await AuditChain.VerifyAsync(Store.Audit.ReadAllAsync(Ct), TestAuditKeys.Ring, [], null, Ct);

    [Fact]
    public async Task Appended_records_are_numbered_chained_and_read_back_unchanged()
    {
        var first = await AppendFiveAsync();
        var second = await Store.Audit.AppendAsync([Entry(6)], TestAuditKeys.Default, Ct);

        Assert.Equal([1L, 2, 3, 4, 5], first.Select(r => r.Sequence));
        Assert.Equal(first[4].Hash, second[0].PreviousHash);
        Assert.Equal(AuditChain.Genesis, first[0].PreviousHash);
        Assert.Equal([.. first, .. second], await Store.Audit.ListAsync(new AuditQuery(), Ct));
        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal("The audit log is intact: 6 records verified", verification.Message);
    }

    [Fact]
    public async Task Audit_records_are_filtered_by_user_command_outcome_and_time_and_paged()
    {
        await AppendFiveAsync();
        async Task<IEnumerable<long>> Sequences(AuditQuery query) => (await Store.Audit.ListAsync(query, Ct)).Select(r => r.Sequence);

        Assert.Equal([2L, 5], await Sequences(new AuditQuery(Actor: "bob")));
        Assert.Equal([1L, 2, 3], await Sequences(new AuditQuery(Command: "deployer:ship")));
        Assert.Equal([3L], await Sequences(new AuditQuery(Outcome: "denied")));
        Assert.Equal([2L, 3], await Sequences(new AuditQuery(From: T0.AddSeconds(2), To: T0.AddSeconds(4))));
        Assert.Equal([1L, 2], await Sequences(new AuditQuery(Limit: 2)));
        Assert.Equal([3L, 4], await Sequences(new AuditQuery(AfterSequence: 2, Limit: 2)));
        Assert.Equal([5L], await Sequences(new AuditQuery(Actor: "bob", Command: "other:cmd", Kind: "command_dispatched")));
        Assert.Empty(await Sequences(new AuditQuery(Kind: "nothing")));
    }

    [Fact]
    public async Task Audit_records_are_listed_newest_first_and_paged_backwards()
    {
        await AppendFiveAsync();
        async Task<IEnumerable<long>> Sequences(AuditQuery query) => (await Store.Audit.ListAsync(query, Ct)).Select(r => r.Sequence);

        Assert.Equal([5L, 4], await Sequences(new AuditQuery(Limit: 2, NewestFirst: true)));
        Assert.Equal([3L, 2], await Sequences(new AuditQuery(Limit: 2, NewestFirst: true, BeforeSequence: 4)));
        Assert.Equal([5L, 2], await Sequences(new AuditQuery(Actor: "bob", NewestFirst: true)));
        Assert.Equal([1L, 2], await Sequences(new AuditQuery(BeforeSequence: 3)));
    }

    [Fact]
    public async Task A_command_filter_matches_the_command_and_its_invocations_but_not_other_commands_sharing_a_prefix()
    {
        await Store.Audit.AppendAsync([Entry(1, command: "hostnotes:wait 1"), Entry(2, command: "hostnotes:wait"), Entry(3, command: "hostnotes:waiter 1"),
            Entry(4, command: "hostnotes:wait 2 --x=y"), Entry(5, command: "HOSTNOTES:WAIT 3")], TestAuditKeys.Default, Ct);

        Assert.Equal([1L, 2, 4], (await Store.Audit.ListAsync(new AuditQuery(Command: "hostnotes:wait"), Ct)).Select(r => r.Sequence));
        Assert.Equal([1L], (await Store.Audit.ListAsync(new AuditQuery(Command: "hostnotes:wait 1"), Ct)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Concurrent_appends_form_one_chain()
    {
        var appends = Enumerable.Range(0, 8).Select(i => Store.Audit.AppendAsync([Entry(i), Entry(i + 100)], TestAuditKeys.Default, Ct));
        await Task.WhenAll(appends);

        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal(16, verification.Checked);
    }

    [Fact]
    public async Task Two_stores_on_one_database_appending_at_once_form_one_gapless_chain()
    {
        // Two servers sharing the database: each its own store (connections, pool), appending concurrently.
        await using var other = OpenWithMigrations(EmbeddedMigrations);
        var appends = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? Store : other).Audit.AppendAsync([Entry(i), Entry(i + 100), Entry(i + 200)], TestAuditKeys.Default, Ct));
        await Task.WhenAll(appends);

        var records = await Store.Audit.ListAsync(new AuditQuery(Limit: 1000), Ct);
        Assert.Equal(Enumerable.Range(1, 120).Select(static i => (long)i), records.Select(static r => r.Sequence));
        Assert.All(records.Skip(1).Zip(records), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Fact]
    public async Task An_append_sealed_with_another_key_than_the_heads_is_refused_unless_it_rotates_the_key()
    {
        await AppendFiveAsync();
        var other = AuditKey.Generate();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Audit.AppendAsync([Entry(6)], other, Ct));
        Assert.Equal(AuditErrors.KeyMismatch(TestAuditKeys.Default.Id, other.Id), refused.Message);
        Assert.Equal(5L, (await Store.Audit.ReadHeadAsync(Ct))!.Sequence);

        var rotated = await Store.Audit.AppendAsync([new AuditEntry(T0.AddSeconds(6), AuditChain.KeyRotatedKind, null, "audit", "ok", "{}"), Entry(7)], other, Ct);
        Assert.Equal([6L, 7], rotated.Select(static r => r.Sequence));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Audit.AppendAsync([Entry(8)], TestAuditKeys.Default, Ct));
        var verification = await AuditChain.VerifyAsync(Store.Audit.ReadAllAsync(Ct), new AuditKeyRing(other, [TestAuditKeys.Default]), [], null, Ct);
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Fact]
    public async Task Verification_names_a_deleted_record()
    {
        await AppendFiveAsync();
        await ExecuteSqlAsync("DELETE FROM audit_records WHERE sequence = 3");

        var verification = await VerifyAsync();

        Assert.Equal(AuditBreakKind.Missing, verification.Kind);
        Assert.Equal(3, verification.Sequence);
        Assert.Equal("Audit record 3 is missing: the log goes on at record 4 (deleted)", verification.Message);
    }

    [Fact]
    public async Task Verification_names_an_altered_record()
    {
        await AppendFiveAsync();
        await ExecuteSqlAsync("UPDATE audit_records SET outcome = 'allowed' WHERE sequence = 3");

        var verification = await VerifyAsync();

        Assert.Equal(AuditBreakKind.Altered, verification.Kind);
        Assert.Equal(3, verification.Sequence);
        Assert.Equal("Audit record 3 was altered: the content does not match the seal", verification.Message);
    }

    [Fact]
    public async Task Verification_names_a_reordered_record()
    {
        await AppendFiveAsync();
        // Swap records 2 and 4 (through a free number: the sequence is the primary key).
        await ExecuteSqlAsync("UPDATE audit_records SET sequence = 1000 WHERE sequence = 2");
        await ExecuteSqlAsync("UPDATE audit_records SET sequence = 2 WHERE sequence = 4");
        await ExecuteSqlAsync("UPDATE audit_records SET sequence = 4 WHERE sequence = 1000");

        var verification = await VerifyAsync();

        Assert.Equal((AuditBreakKind.Renumbered, 2L), (verification.Kind, verification.Sequence));
        Assert.Equal("Audit record 2 was sealed as record 4: moved, renumbered or replayed", verification.Message);
    }

    [Fact]
    public async Task An_administrative_change_and_its_audit_record_commit_together()
    {
        await using (var transaction = await Store.BeginAsync(Ct))
        {
            (await transaction.Roles.CreateAsync(new Role(StoreId.New(), "kept"), Ct)).GetValueOrThrow();
            // A refused write inside the unit of work is undone alone; the rest goes on.
            Assert.False((await transaction.Roles.CreateAsync(new Role(StoreId.New(), "kept"), Ct)).IsSuccess);
            await transaction.Audit.AppendAsync([new AuditEntry(T0, "role_created", "admin", null, "succeeded", """{"role":"kept"}""")], TestAuditKeys.Default, Ct);
            Assert.NotNull(await transaction.Roles.FindByNameAsync("kept", Ct));
            await transaction.CommitAsync(Ct);
        }

        await using (var transaction = await Store.BeginAsync(Ct))
        {
            await transaction.Roles.CreateAsync(new Role(StoreId.New(), "dropped"), Ct);
            await transaction.Audit.AppendAsync([new AuditEntry(T0, "role_created", "admin", null, "succeeded", """{"role":"dropped"}""")], TestAuditKeys.Default, Ct);
            // Disposed without commit: rolled back.
        }

        Assert.Equal(["kept"], (await Store.Roles.ListAsync(Ct)).Select(r => r.Name));
        var record = Assert.Single(await Store.Audit.ListAsync(new AuditQuery(), Ct));
        Assert.Equal("""{"role":"kept"}""", record.PayloadJson);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task The_head_is_the_last_record_and_records_keep_the_key_that_sealed_them()
    {
        Assert.Null(await Store.Audit.ReadHeadAsync(Ct));
        var appended = await AppendFiveAsync();

        Assert.Equal(appended[^1], await Store.Audit.ReadHeadAsync(Ct));
        Assert.All(await Store.Audit.ListAsync(new AuditQuery(), Ct), r => Assert.Equal(TestAuditKeys.Default.Id, r.KeyId));
    }

    [Fact]
    public async Task A_keyless_log_written_before_the_migration_stays_verifiable_and_is_fixed_by_the_first_keyed_record()
    {
        // Records as the keyless chain wrote them (cog-audit-v1, no key id).
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= 3; i++)
        {
            var old = new AuditRecord(i, T0.AddSeconds(i), "command_dispatched", "alice", null, "allowed", "{}", previous, "");
            old = old with { Hash = AuditChain.ComputeKeylessHash(old) };
            await ExecuteSqlAsync("INSERT INTO audit_records (sequence, occurred_at, kind, actor, command, outcome, payload, previous_hash, hash) VALUES (" +
                $"{i}, {AuditChain.ToMicroseconds(old.Time)}, 'command_dispatched', 'alice', NULL, 'allowed', '{{}}', '{previous}', '{old.Hash}')");
            previous = old.Hash;
        }
        var keyed = await Store.Audit.AppendAsync([new AuditEntry(T0.AddSeconds(4), AuditChain.KeyRotatedKind, null, "audit", "ok", "{}")], TestAuditKeys.Default, Ct);

        Assert.Equal(previous, keyed[0].PreviousHash);
        Assert.True((await VerifyAsync()).IsIntact);

        // Re-sealing the keyless prefix after an edit changes its last hash, which the keyed record sealed.
        await ExecuteSqlAsync("UPDATE audit_records SET outcome = 'denied' WHERE sequence = 2");
        var records = await Store.Audit.ListAsync(new AuditQuery(Limit: 3), Ct);
        var link = records[0].Hash;
        foreach (var record in records.Skip(1))
        {
            var hash = AuditChain.ComputeKeylessHash(record with { PreviousHash = link });
            await ExecuteSqlAsync($"UPDATE audit_records SET previous_hash = '{link}', hash = '{hash}' WHERE sequence = {record.Sequence}");
            link = hash;
        }
        var verification = await VerifyAsync();
        Assert.Contains(verification.Findings, f => f.Kind == AuditBreakKind.BrokenLink && f.Sequence == 4);
    }
}
