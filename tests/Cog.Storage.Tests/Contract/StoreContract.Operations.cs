using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;
using Cog.Runtime.Triggers;

namespace Cog.Storage.Tests.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task User_and_site_aliases_are_unique_per_owner()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var mine = (await Store.Aliases.CreateAsync(new Alias(StoreId.New(), "hi", "echo alice", alice.Id), Ct)).GetValueOrThrow();
        var site = (await Store.Aliases.CreateAsync(new Alias(StoreId.New(), "hi", "echo site", null), Ct)).GetValueOrThrow();
        await Store.Aliases.CreateAsync(new Alias(StoreId.New(), "hi", "echo bob", bob.Id), Ct);

        AssertFailure(await Store.Aliases.CreateAsync(new Alias(StoreId.New(), "hi", "x", alice.Id), Ct), StoreErrorKind.Duplicate, "Alias 'hi' already exists");
        AssertFailure(await Store.Aliases.CreateAsync(new Alias(StoreId.New(), "hi", "x", null), Ct), StoreErrorKind.Duplicate, "Alias 'hi' already exists");
        Assert.Equal(mine, await Store.Aliases.FindAsync("hi", alice.Id, Ct));
        Assert.Equal(site, await Store.Aliases.FindAsync("hi", null, Ct));
        Assert.Equal([site], await Store.Aliases.ListAsync(null, Ct));

        var updated = (await Store.Aliases.UpdateAsync(mine with { Name = "hello", Pipeline = "echo hello", OwnerUserId = bob.Id }, Ct)).GetValueOrThrow();
        Assert.Equal(alice.Id, updated.OwnerUserId);
        Assert.Equal(updated, await Store.Aliases.GetAsync(mine.Id, Ct));
        Assert.True((await Store.Aliases.DeleteAsync(mine.Id, Ct)).IsSuccess);
        Assert.Empty(await Store.Aliases.ListAsync(alice.Id, Ct));
    }

    [Fact]
    public async Task Relays_have_unique_ids_and_names_and_keep_only_token_hashes()
    {
        const string token = "relay-token-in-clear";
        var relay = (await Store.Relays.CreateAsync(new RelayRecord("ABC-1", "prod-1", RelayToken.Hash(token), "first", false, T0), Ct)).GetValueOrThrow();
        Assert.Equal("abc-1", relay.Id);

        AssertFailure(await Store.Relays.CreateAsync(new RelayRecord("abc-1", "other", "h", null, true, T0), Ct), StoreErrorKind.Duplicate, "Relay 'abc-1' already exists");
        AssertFailure(await Store.Relays.CreateAsync(new RelayRecord("def", "prod-1", "h", null, true, T0), Ct), StoreErrorKind.Duplicate, "Relay 'prod-1' already exists");
        Assert.Equal(relay, await Store.Relays.GetAsync("ABC-1", Ct));
        Assert.Equal(relay, await Store.Relays.FindByNameAsync("prod-1", Ct));
        Assert.True(RelayToken.Verify(token, relay.TokenHash));
        Assert.Equal(0L, Convert.ToInt64(await ScalarSqlAsync($"SELECT COUNT(*) FROM relays WHERE token_hash LIKE '%{token}%'"), System.Globalization.CultureInfo.InvariantCulture));

        var enabled = (await Store.Relays.UpdateAsync(relay with { Enabled = true, Description = null }, Ct)).GetValueOrThrow();
        var credentials = new StoredRelayCredentials(Store.Relays);
        Assert.Equal(new RelayCredential("abc-1", relay.TokenHash, true), await credentials.FindAsync("abc-1", Ct));
        Assert.Null(await credentials.FindAsync("nope", Ct));
        Assert.Equal([enabled], await Store.Relays.ListAsync(Ct));

        Assert.True((await Store.Relays.DeleteAsync(relay.Id, Ct)).IsSuccess);
        AssertFailure(await Store.Relays.DeleteAsync(relay.Id, Ct), StoreErrorKind.NotFound, "Relay 'abc-1' does not exist");
    }

    [Fact]
    public async Task Relay_groups_have_members_and_assigned_bundles()
    {
        var r1 = (await Store.Relays.CreateAsync(new RelayRecord("r1", "relay-1", "h1", null, true, T0), Ct)).GetValueOrThrow();
        var r2 = (await Store.Relays.CreateAsync(new RelayRecord("r2", "relay-2", "h2", null, true, T0), Ct)).GetValueOrThrow();
        var prod = (await Store.Relays.CreateGroupAsync(new RelayGroup(StoreId.New(), "prod", "Production", T0), Ct)).GetValueOrThrow();
        var staging = (await Store.Relays.CreateGroupAsync(new RelayGroup(StoreId.New(), "staging", null, T0), Ct)).GetValueOrThrow();
        AssertFailure(await Store.Relays.CreateGroupAsync(new RelayGroup(StoreId.New(), "prod", null, T0), Ct), StoreErrorKind.Duplicate, "Relay group 'prod' already exists");
        var a = (await Store.Bundles.InstallAsync(Install("a", "1.0.0"), Ct)).GetValueOrThrow();
        var b = (await Store.Bundles.InstallAsync(Install("b", "1.0.0"), Ct)).GetValueOrThrow();
        var builtIn = (await Store.Bundles.InstallAsync(Install(Bundle.BuiltInName, "1.0.0"), Ct)).GetValueOrThrow();

        await Store.Relays.AddMemberAsync(prod.Id, r1.Id, Ct);
        await Store.Relays.AddMemberAsync(prod.Id, r2.Id, Ct);
        await Store.Relays.AddMemberAsync(staging.Id, r1.Id, Ct);
        AssertFailure(await Store.Relays.AddMemberAsync(prod.Id, "ghost", Ct), StoreErrorKind.NotFound, "Relay 'ghost' does not exist");
        await Store.Relays.AssignBundleAsync(prod.Id, a.BundleId, Ct);
        await Store.Relays.AssignBundleAsync(staging.Id, b.BundleId, Ct);
        await Store.Relays.AssignBundleAsync(staging.Id, a.BundleId, Ct);
        AssertFailure(await Store.Relays.AssignBundleAsync(prod.Id, builtIn.BundleId, Ct), StoreErrorKind.Protected, "Bundle 'operable' is protected");

        Assert.Equal([r1, r2], await Store.Relays.ListMembersAsync(prod.Id, Ct));
        Assert.Equal([prod, staging], await Store.Relays.ListGroupsOfRelayAsync(r1.Id, Ct));
        Assert.Equal(new[] { a.BundleId, b.BundleId }.Order(StringComparer.Ordinal), await Store.Relays.ListRelayBundlesAsync(r1.Id, Ct));
        Assert.Equal([a.BundleId], await Store.Relays.ListRelayBundlesAsync(r2.Id, Ct));

        await Store.Relays.RemoveMemberAsync(prod.Id, r2.Id, Ct);
        await Store.Relays.UnassignBundleAsync(staging.Id, b.BundleId, Ct);
        Assert.Empty(await Store.Relays.ListRelayBundlesAsync(r2.Id, Ct));
        Assert.Equal([a.BundleId], await Store.Relays.ListGroupBundlesAsync(staging.Id, Ct));

        var renamed = (await Store.Relays.UpdateGroupAsync(staging with { Name = "stage", Description = "S" }, Ct)).GetValueOrThrow();
        Assert.Equal(renamed, await Store.Relays.FindGroupByNameAsync("stage", Ct));
        Assert.True((await Store.Relays.DeleteGroupAsync(prod.Id, Ct)).IsSuccess);
        Assert.Equal([renamed], await Store.Relays.ListGroupsAsync(Ct));
    }

    [Fact]
    public async Task Triggers_are_created_updated_and_unique_by_name()
    {
        var trigger = (await Store.Triggers.CreateAsync(new Trigger(StoreId.New(), "hook", "echo $body", "d", null, 30, true, false), Ct)).GetValueOrThrow();
        var other = (await Store.Triggers.CreateAsync(new Trigger(StoreId.New(), "other", "echo", null, null, 60, false, true), Ct)).GetValueOrThrow();
        AssertFailure(await Store.Triggers.CreateAsync(trigger with { Id = StoreId.New() }, Ct), StoreErrorKind.Duplicate, "Trigger 'hook' already exists");
        AssertFailure(await Store.Triggers.UpdateAsync(other with { Name = "hook" }, Ct), StoreErrorKind.Duplicate, "Trigger 'hook' already exists");

        var updated = (await Store.Triggers.UpdateAsync(trigger with { Pipeline = "echo 2", TimeoutSeconds = 5, Enabled = false, AsUser = "bot", AllowCrossOrigin = true }, Ct)).GetValueOrThrow();
        Assert.Equal(updated, await Store.Triggers.GetAsync(trigger.Id, Ct));
        Assert.Equal(other, await Store.Triggers.FindByNameAsync("other", Ct));
        Assert.Equal(["hook", "other"], (await Store.Triggers.ListAsync(Ct)).Select(t => t.Name));
        AssertFailure(await Store.Triggers.DeleteAsync("nope", Ct), StoreErrorKind.NotFound, "Trigger 'nope' does not exist");
    }

    [Fact]
    public async Task History_numbers_each_users_pipelines_and_tracks_their_state()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        PipelineHistoryEntry Entry(User user, string text) => new(StoreId.New(), user.Id, 0, text, "ops", "slack", 0, PipelineState.Running, T0, null);

        var first = (await Store.History.AddAsync(Entry(alice, "echo 1"), Ct)).GetValueOrThrow();
        var second = (await Store.History.AddAsync(Entry(alice, "echo 2"), Ct)).GetValueOrThrow();
        var bobs = (await Store.History.AddAsync(Entry(bob, "echo b"), Ct)).GetValueOrThrow();
        Assert.Equal((1, 2, 1), (first.Index, second.Index, bobs.Index));
        AssertFailure(await Store.History.AddAsync(first, Ct), StoreErrorKind.Duplicate, $"Pipeline '{first.Id}' already exists");

        var finished = (await Store.History.UpdateAsync(first.Id, PipelineState.Finished, 3, T0.AddSeconds(1), Ct)).GetValueOrThrow();
        Assert.Equal(first with { State = PipelineState.Finished, Count = 3, FinishedAt = T0.AddSeconds(1) }, finished);
        Assert.Equal(second, await Store.History.FindByIndexAsync(alice.Id, 2, Ct));
        Assert.Equal([second, finished], await Store.History.ListAsync(alice.Id, 10, Ct));
        Assert.Equal([second], await Store.History.ListAsync(alice.Id, 1, Ct));
        Assert.Equal(new[] { second.Id, bobs.Id }.Order(StringComparer.Ordinal), (await Store.History.ListUnfinishedAsync(Ct)).Select(e => e.Id).Order(StringComparer.Ordinal));
        AssertFailure(await Store.History.UpdateAsync("nope", PipelineState.Finished, 0, null, Ct), StoreErrorKind.NotFound, "Pipeline 'nope' does not exist");
    }

    [Fact]
    public async Task History_numbers_concurrent_pipelines_of_one_user_without_losing_any()
    {
        const int Pipelines = 40;
        var alice = await CreateUserAsync("alice");
        await Store.History.AddAsync(new PipelineHistoryEntry(StoreId.New(), alice.Id, 0, "echo first", null, null, 0, PipelineState.Running, T0, null), Ct);

        var added = await Task.WhenAll(Enumerable.Range(0, Pipelines).Select(i => Task.Run(() => Store.History.AddAsync(
            new PipelineHistoryEntry(StoreId.New(), alice.Id, 0, "echo " + i, null, null, 0, PipelineState.Running, T0, null), Ct), Ct)));

        Assert.All(added, static a => Assert.True(a.IsSuccess, a.IsSuccess ? "" : a.Error.Message));
        Assert.Equal(Enumerable.Range(2, Pipelines).Select(static i => (long)i), added.Select(static a => a.GetValueOrThrow().Index).Order());
        var stored = await Store.History.ListAsync(alice.Id, Pipelines + 10, Ct);
        Assert.Equal(Enumerable.Range(1, Pipelines + 1).Select(static i => (long)i).Reverse(), stored.Select(static e => e.Index));
    }

    [Fact]
    public async Task History_queries_filter_by_user_state_index_and_id_prefix_from_either_end()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        async Task<PipelineHistoryEntry> Add(User user, string id, int second) => (await Store.History.AddAsync(
            new PipelineHistoryEntry(id, user.Id, 0, "echo " + id, "ops", "slack", 0, PipelineState.Running, T0.AddSeconds(second), null), Ct)).GetValueOrThrow();
        var a1 = await Add(alice, "aaaa-1", 1);
        var b1 = await Add(bob, "bbbb-1", 2);
        var a2 = await Add(alice, "aaaa-2", 3);
        var a3 = await Add(alice, "cccc-3", 4);
        a2 = (await Store.History.UpdateAsync(a2.Id, PipelineState.Finished, 1, T0.AddSeconds(5), Ct)).GetValueOrThrow();

        async Task<string[]> Ids(HistoryQuery query) => [.. (await Store.History.QueryAsync(query, Ct)).Select(e => e.Id)];

        Assert.Equal([a3.Id, a2.Id, a1.Id], await Ids(new HistoryQuery(10) { UserId = alice.Id }));
        Assert.Equal([a1.Id, a2.Id], await Ids(new HistoryQuery(2) { UserId = alice.Id, OldestFirst = true }));
        Assert.Equal([a2.Id, a3.Id], await Ids(new HistoryQuery(10) { UserId = alice.Id, FromIndex = 2, OldestFirst = true }));
        Assert.Equal([a2.Id, a1.Id], await Ids(new HistoryQuery(10) { UserId = alice.Id, ToIndex = 2 }));
        Assert.Equal([a3.Id, b1.Id, a1.Id], await Ids(new HistoryQuery(10) { Unfinished = true }));
        Assert.Equal([a2.Id], await Ids(new HistoryQuery(10) { State = PipelineState.Finished }));
        Assert.Equal([a2.Id, a1.Id], await Ids(new HistoryQuery(10) { IdPrefix = "aaaa-" }));
        Assert.Equal([a1.Id], await Ids(new HistoryQuery(10) { IdPrefix = "aaaa-", Unfinished = true }));
        Assert.Empty(await Ids(new HistoryQuery(10) { IdPrefix = "AAAA" }));
    }
}
