using Cog.Runtime.Audit;
using Cog.Runtime.Chat;
using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Bundles;
using Cog.Testing;
using Cog.Testing.Chat;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Runtime.Tests.Cluster;

/// <summary>A server sharing the store died: a live one marks its pipelines interrupted and tells the people who asked.</summary>
public sealed class DeadServerSweeperTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly ClusterTimings Timings = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));

    [Fact]
    public async Task The_pipelines_of_a_server_without_heartbeat_for_the_ttl_are_marked_interrupted_once_and_their_people_told()
    {
        await using var world = await StoreWorld.OpenAsync();
        var alice = await world.UserAsync("alice");
        await using var writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default);
        var chat = new FakeChatProvider();
        var sweeper = new DeadServerSweeper(world.Store, writer, new ChatProviders([chat]), "cog-me", Timings, world.Time,
            NullLogger<DeadServerSweeper>.Instance);
        await WatchForATtlAsync(world, sweeper);
        var now = world.Time.GetUtcNow();
        var aliceInChat = chat.AddUser("alice", "U-ALICE");
        var ops = chat.AddRoom("ops");
        (await world.Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), alice.Id, chat.Name, "alice", aliceInChat.Id), Ct)).GetValueOrThrow();
        async Task Instance(string name, DateTimeOffset heartbeat) =>
            Assert.Null(await world.Store.Cluster.RegisterInstanceAsync(new ServerInstance(name, "id-" + name, "host", heartbeat, heartbeat), heartbeat - Timings.InstanceTtl, Ct));
        await Instance("cog-dead", now - Timings.InstanceTtl);
        await Instance("cog-late", now - Timings.InstanceTtl + TimeSpan.FromSeconds(1));
        await Instance("cog-me", now - Timings.InstanceTtl * 2);
        async Task Row(string id, string instance, string text, string room) => (await world.Store.History.AddAsync(
            new PipelineHistoryEntry(id, alice.Id, 0, text, room, chat.Name, 0, PipelineState.Running, now, null) { Instance = instance }, Ct)).GetValueOrThrow();
        await Row("p-in-ops", "cog-dead", "deploy:release web-7", "ops");
        await Row("p-direct", "cog-dead", "sleep 60", ChatRoom.DirectName);
        await Row("p-late", "cog-late", "echo late", "ops");
        await Row("p-mine", "cog-me", "echo mine", "ops");

        var marked = await sweeper.SweepAsync(Ct);

        // Only the dead peer's: a late heartbeat is not a death, and a server never sweeps itself.
        Assert.Equal(["p-direct", "p-in-ops"], marked.Select(static e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(marked, static e => Assert.Equal(PipelineState.Interrupted, e.State));
        Assert.Equal(PipelineState.Interrupted, (await world.Store.History.GetAsync("p-in-ops", Ct))!.State);
        Assert.Equal(["p-late", "p-mine"], (await world.Store.History.ListUnfinishedAsync(Ct)).Select(static e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["cog-late", "cog-me"], (await world.Store.Cluster.ListInstancesAsync(Ct)).Select(static i => i.Name));
        var records = new List<AuditRecord>();
        await foreach (var record in world.Store.Audit.ReadAllAsync(Ct))
            records.Add(record);
        Assert.Equal(2, records.Count(static r => r.Kind == InterruptedPipelines.Kind && r.PayloadJson.Contains("\"instance\":\"cog-dead\"", StringComparison.Ordinal)));

        // Told in the room they asked in, with a mention; a direct conversation's pipeline, directly.
        Assert.Equal(ChatMessages.Interrupted("@alice ", "deploy:release web-7", "cog-dead", "p-in-ops"), Assert.Single(chat.SentTo(ops)).Text);
        Assert.Equal(ChatMessages.Interrupted("", "sleep 60", "cog-dead", "p-direct"), Assert.Single(chat.SentTo(FakeChatProvider.DirectWith(aliceInChat))).Text);

        // Swept once: the next sweep finds nothing (the row is gone), and says nothing.
        Assert.Empty(await sweeper.SweepAsync(Ct));
        Assert.Equal(2, chat.Sent.Count);
    }

    [Fact]
    public async Task A_sweeper_that_did_not_watch_for_a_whole_ttl_takes_nobody_for_dead()
    {
        // A store outage (a failover) longer than the TTL: every heartbeat in it is old, the live peers' too.
        await using var world = await StoreWorld.OpenAsync();
        var alice = await world.UserAsync("alice");
        await using var writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default);
        var sweeper = new DeadServerSweeper(world.Store, writer, new ChatProviders([]), "cog-me", Timings, world.Time,
            NullLogger<DeadServerSweeper>.Instance);
        await WatchForATtlAsync(world, sweeper);
        world.Time.Advance(Timings.InstanceTtl * 2);
        var back = world.Time.GetUtcNow();
        Assert.Null(await world.Store.Cluster.RegisterInstanceAsync(
            new ServerInstance("cog-peer", "id-peer", "host", back - Timings.InstanceTtl * 2, back - Timings.InstanceTtl * 2), back - Timings.InstanceTtl * 3, Ct));
        (await world.Store.History.AddAsync(new PipelineHistoryEntry("p-peer", alice.Id, 0, "echo hi", "ops", "fake", 0, PipelineState.Running,
            back, null) { Instance = "cog-peer" }, Ct)).GetValueOrThrow();

        // Back after the gap: the sweeps of the next TTL judge nobody...
        for (var watched = TimeSpan.Zero; watched < Timings.InstanceTtl; watched += Timings.Heartbeat)
        {
            Assert.Empty(await sweeper.SweepAsync(Ct));
            world.Time.Advance(Timings.Heartbeat);
        }
        Assert.Equal(PipelineState.Running, (await world.Store.History.GetAsync("p-peer", Ct))!.State);

        // ... and a peer still silent after a whole TTL of watching is dead.
        Assert.Equal("p-peer", Assert.Single(await sweeper.SweepAsync(Ct)).Id);
    }

    /// <summary>Sweeps every heartbeat for a TTL, as the lease holder does, so that the next sweep judges.</summary>
    static async Task WatchForATtlAsync(StoreWorld world, DeadServerSweeper sweeper)
    {
        for (var watched = TimeSpan.Zero; watched < Timings.InstanceTtl; watched += Timings.Heartbeat)
        {
            await sweeper.SweepAsync(Ct);
            world.Time.Advance(Timings.Heartbeat);
        }
    }
}
