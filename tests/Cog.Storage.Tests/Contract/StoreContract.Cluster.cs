using Cog.Runtime.Cluster;

namespace Cog.Storage.Tests.Contract;

/// <summary>Instances and leases of the servers sharing a store.</summary>
public abstract partial class StoreContract
{
    static readonly TimeSpan Ttl = TimeSpan.FromSeconds(20);

    static ServerInstance Instance(string name, string identity, DateTimeOffset at) => new(name, identity, "host-" + identity, at, at);

    [Fact]
    public async Task A_live_instance_name_of_another_server_is_refused_and_its_own_restart_or_a_dead_holder_is_not()
    {
        Assert.Null(await Store.Cluster.RegisterInstanceAsync(Instance("cog-1", "data-a", T0), T0 - Ttl, Ct));

        var later = T0.AddSeconds(5);
        var holder = await Store.Cluster.RegisterInstanceAsync(Instance("cog-1", "data-b", later), later - Ttl, Ct);
        Assert.Equal(("cog-1", "data-a", "host-data-a", T0), (holder!.Name, holder.Identity, holder.Host, holder.HeartbeatAt));

        // The same data folder restarting (after a crash) takes its name back at once.
        Assert.Null(await Store.Cluster.RegisterInstanceAsync(Instance("cog-1", "data-a", later), later - Ttl, Ct));
        // Once the holder's heartbeat is older than the TTL, another server may take the name.
        var dead = later + Ttl;
        Assert.Null(await Store.Cluster.RegisterInstanceAsync(Instance("cog-1", "data-b", dead), dead - Ttl, Ct));
        Assert.Equal(["data-b"], (await Store.Cluster.ListInstancesAsync(Ct)).Select(static i => i.Identity));
    }

    [Fact]
    public async Task A_heartbeat_renews_only_its_own_row_and_a_dead_instance_is_removed_once()
    {
        await Store.Cluster.RegisterInstanceAsync(Instance("cog-1", "data-a", T0), T0 - Ttl, Ct);
        await Store.Cluster.RegisterInstanceAsync(Instance("cog-2", "data-b", T0), T0 - Ttl, Ct);
        Assert.True(await Store.Cluster.HeartbeatAsync("cog-1", "data-a", T0.AddSeconds(30), Ct));
        Assert.False(await Store.Cluster.HeartbeatAsync("cog-1", "data-b", T0.AddSeconds(30), Ct));

        // cog-2's last heartbeat is T0: dead at T0 + TTL, not before.
        Assert.False(await Store.Cluster.RemoveDeadInstanceAsync("cog-2", T0.AddSeconds(-1), Ct));
        Assert.False(await Store.Cluster.RemoveDeadInstanceAsync("cog-1", T0.AddSeconds(10), Ct));
        Assert.True(await Store.Cluster.RemoveDeadInstanceAsync("cog-2", T0.AddSeconds(10), Ct));
        Assert.False(await Store.Cluster.RemoveDeadInstanceAsync("cog-2", T0.AddSeconds(10), Ct));
        Assert.False(await Store.Cluster.HeartbeatAsync("cog-2", "data-b", T0.AddSeconds(30), Ct));

        await Store.Cluster.RemoveInstanceAsync("cog-1", "data-b", Ct);
        Assert.Equal(["cog-1"], (await Store.Cluster.ListInstancesAsync(Ct)).Select(static i => i.Name));
        await Store.Cluster.RemoveInstanceAsync("cog-1", "data-a", Ct);
        Assert.Empty(await Store.Cluster.ListInstancesAsync(Ct));
    }

    [Fact]
    public async Task A_lease_has_one_holder_until_it_expires_or_is_given_up_and_remembers_when_its_work_last_ran()
    {
        Assert.Equal(new LeaseGrant(null), await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-1", T0, T0 + Ttl, Ct));
        Assert.Null(await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-2", T0.AddSeconds(1), T0.AddSeconds(1) + Ttl, Ct));
        Assert.Equal(new LeaseGrant(null), await Store.Cluster.TryTakeLeaseAsync("other", "cog-2", T0, T0 + Ttl, Ct));

        await Store.Cluster.RecordLeaseRunAsync("reaper", "cog-1", T0, Ct);
        await Store.Cluster.RecordLeaseRunAsync("reaper", "cog-2", T0.AddSeconds(3), Ct);
        // The holder renews before expiry; the other server is still refused just before the renewed expiry.
        var renewed = T0.AddSeconds(10);
        Assert.Equal(new LeaseGrant(T0), await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-1", renewed, renewed + Ttl, Ct));
        Assert.Null(await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-2", renewed + Ttl - TimeSpan.FromSeconds(1), renewed + Ttl * 2, Ct));

        // The holder dies (renews no more): at expiry the other server takes over, and learns when the work last ran.
        Assert.Equal(new LeaseGrant(T0), await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-2", renewed + Ttl, renewed + Ttl * 2, Ct));
        Assert.Null(await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-1", renewed + Ttl, renewed + Ttl * 2, Ct));

        // Given up, it is free at once.
        await Store.Cluster.ReleaseLeaseAsync("reaper", "cog-1", renewed + Ttl, Ct);
        Assert.Null(await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-1", renewed + Ttl, renewed + Ttl * 2, Ct));
        await Store.Cluster.ReleaseLeaseAsync("reaper", "cog-2", renewed + Ttl, Ct);
        Assert.NotNull(await Store.Cluster.TryTakeLeaseAsync("reaper", "cog-1", renewed + Ttl, renewed + Ttl * 2, Ct));
    }

    [Fact]
    public async Task Two_servers_racing_for_a_lease_never_both_get_it()
    {
        var attempts = Enumerable.Range(0, 20).Select(i => Store.Cluster.TryTakeLeaseAsync("race", $"cog-{i}", T0, T0 + Ttl, Ct));

        var grants = await Task.WhenAll(attempts);

        Assert.Single(grants, static g => g is not null);
    }
}
