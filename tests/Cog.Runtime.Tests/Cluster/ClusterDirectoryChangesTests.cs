using System.Collections.Concurrent;
using Cog.Runtime.Cluster;
using Cog.Runtime.Tests.Bundles;
using Cog.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Runtime.Tests.Cluster;

/// <summary>The directory changes of a server sharing its store: announced to the others, and theirs applied here.</summary>
public sealed class ClusterDirectoryChangesTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A bus the test drives: what this server publishes is kept; <see cref="Deliver"/> plays another server.</summary>
    sealed class HandBus : IServerBus
    {
        readonly ConcurrentDictionary<string, Action<ServerNotice>> _handlers = new(StringComparer.Ordinal);

        public ConcurrentQueue<(string Channel, string Payload)> Published { get; } = new();

        public string Instance => "cog-1";

        public ValueTask PublishAsync(string channel, string payload, CancellationToken cancellationToken)
        {
            Published.Enqueue((channel, payload));
            return ValueTask.CompletedTask;
        }

        public IDisposable Subscribe(string channel, Action<ServerNotice> handler)
        {
            _handlers[channel] = handler;
            return new Subscription();
        }

        sealed class Subscription : IDisposable
        {
            public void Dispose()
            {
            }
        }

        public void Deliver(ServerNotice notice) => _handlers[notice.Channel](notice);
    }

    [Fact]
    public async Task Each_change_here_is_announced_in_order_and_a_missed_notice_drops_every_cache()
    {
        await using var world = await StoreWorld.OpenAsync();
        var bus = new HandBus();
        await using var changes = new ClusterDirectoryChanges(world.Directory, bus, NullLogger<ClusterDirectoryChanges>.Instance);

        changes.CatalogChanged();
        changes.GrantsChanged();
        changes.UserAliasesChanged("user-7");
        changes.RelaysChanged();
        changes.ConfigChanged();

        await Eventually.TrueAsync(() => bus.Published.Count == 5, "every change announced");
        Assert.Equal([("directory", "catalog"), ("directory", "grants"), ("directory", "aliases:user-7"), ("directory", "relays"), ("directory", "config")],
            bus.Published);
    }

    [Fact]
    public async Task Another_servers_grant_or_a_missed_notice_drops_the_cached_permissions()
    {
        await using var world = await StoreWorld.OpenAsync();
        var bus = new HandBus();
        await using var changes = new ClusterDirectoryChanges(world.Directory, bus, NullLogger<ClusterDirectoryChanges>.Instance);
        var alice = await world.UserAsync("alice");
        Assert.Empty(await world.Directory.GetPermissionsAsync(alice.Id, Ct));

        // Granted by another server (straight into the store): cached here until its notice arrives.
        await world.GrantAsync(alice, "site:deploy");
        Assert.Empty(await world.Directory.GetPermissionsAsync(alice.Id, Ct));
        bus.Deliver(new ServerNotice(ClusterDirectoryChanges.Channel, "cog-2", "grants"));
        Assert.Equal(["site:deploy"], await world.Directory.GetPermissionsAsync(alice.Id, Ct));

        // A notice that was lost while this server's listener reconnected: Missed drops everything.
        await world.GrantAsync(alice, "site:restart");
        Assert.Equal(["site:deploy"], await world.Directory.GetPermissionsAsync(alice.Id, Ct));
        bus.Deliver(new ServerNotice(ClusterDirectoryChanges.Channel, "", "", Missed: true));
        Assert.Equal(["site:deploy", "site:restart"], (await world.Directory.GetPermissionsAsync(alice.Id, Ct)).Order(StringComparer.Ordinal));
        Assert.Empty(bus.Published);
    }
}
