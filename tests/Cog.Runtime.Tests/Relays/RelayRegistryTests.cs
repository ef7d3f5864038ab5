using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Relays;

public class RelayRegistryTests
{
    readonly FakeTimeProvider _time = new();
    readonly RelayRegistry _registry;

    public RelayRegistryTests() => _registry = new RelayRegistry(_time);

    [Fact]
    public void An_online_status_lists_the_relay_with_its_tags_capacity_and_load()
    {
        Assert.Equal(RelayUpdate.Applied, _registry.ApplyStatus("web-7", Some.Online("web-7", "i1", load: 3, capacity: 16, "prod", "eu")));

        var relay = Assert.Single(_registry.Snapshot());
        Assert.Equal(("web-7", RelayState.Online, "i1", "1.0.0", 16, 3), (relay.RelayId, relay.State, relay.InstanceId, relay.RelayVersion, relay.Capacity, relay.Load));
        Assert.Equal(["prod", "eu"], relay.Tags);
        Assert.Equal(_time.GetUtcNow(), relay.StatusAt);
        Assert.Null(relay.AnnouncedAt);
    }

    [Fact]
    public void A_status_whose_relay_id_differs_from_the_topic_is_ignored()
    {
        Assert.Equal(RelayUpdate.RelayIdMismatch, _registry.ApplyStatus("web-7", Some.Online("web-8")));
        Assert.Empty(_registry.Snapshot());
    }

    [Fact]
    public void An_announcement_whose_relay_id_differs_from_the_topic_is_ignored()
    {
        Assert.Equal(RelayUpdate.RelayIdMismatch, _registry.ApplyAnnouncement("web-7", Some.Announce("web-8")));
        Assert.Empty(_registry.Snapshot());
    }

    [Fact]
    public void An_offline_status_of_the_current_instance_takes_the_relay_offline()
    {
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i1"));
        Assert.Equal(RelayUpdate.Applied, _registry.ApplyStatus("web-7", Some.Offline("web-7", "i1")));
        Assert.Equal(RelayState.Offline, _registry.Find("web-7")!.State);
    }

    [Fact]
    public void A_late_offline_status_of_an_old_instance_is_ignored()
    {
        _registry.ApplyStatus("web-7", Some.Online("web-7", "old"));
        _registry.ApplyStatus("web-7", Some.Online("web-7", "new"));

        Assert.Equal(RelayUpdate.StaleOffline, _registry.ApplyStatus("web-7", Some.Offline("web-7", "old")));

        var relay = _registry.Find("web-7")!;
        Assert.Equal((RelayState.Online, "new"), (relay.State, relay.InstanceId));
    }

    [Fact]
    public void An_offline_status_of_an_unknown_relay_lists_it_as_offline()
    {
        Assert.Equal(RelayUpdate.Applied, _registry.ApplyStatus("web-7", Some.Offline("web-7")));
        Assert.Equal(RelayState.Offline, _registry.Find("web-7")!.State);
    }

    [Fact]
    public void An_announcement_lists_the_bundles_and_failures_of_the_current_instance()
    {
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i1"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var announcement = Some.Announce("web-7", "i1") with { Failures = [new BundleFailure("ec2", "0.5.0", "The package's digest does not match its assignment.")] };

        Assert.Equal(RelayUpdate.Applied, _registry.ApplyAnnouncement("web-7", announcement));

        var relay = _registry.Find("web-7")!;
        Assert.Equal(new AnnouncedBundle("deploy", "1.4.0", Some.Digest), Assert.Single(relay.Bundles));
        Assert.Equal("ec2", Assert.Single(relay.Failures).Name);
        Assert.Equal(_time.GetUtcNow(), relay.AnnouncedAt);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(6)]
    public void An_announcement_that_is_not_newer_than_the_last_of_its_instance_is_ignored(long sequence)
    {
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i1"));
        _registry.ApplyAnnouncement("web-7", Some.Announce("web-7", "i1", 7, version: "1.0.0"));

        Assert.Equal(RelayUpdate.StaleAnnouncement, _registry.ApplyAnnouncement("web-7", Some.Announce("web-7", "i1", sequence, version: "2.0.0")));

        Assert.Equal("1.0.0", Assert.Single(_registry.Find("web-7")!.Bundles).Version);
    }

    [Fact]
    public void A_new_instance_starts_its_sequence_again()
    {
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i1"));
        _registry.ApplyAnnouncement("web-7", Some.Announce("web-7", "i1", 7, version: "1.0.0"));
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i2"));

        Assert.Equal(RelayUpdate.Applied, _registry.ApplyAnnouncement("web-7", Some.Announce("web-7", "i2", 1, version: "2.0.0")));

        Assert.Equal("2.0.0", Assert.Single(_registry.Find("web-7")!.Bundles).Version);
    }

    [Fact]
    public void The_announcement_of_a_previous_instance_does_not_count_for_the_new_one()
    {
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i1"));
        _registry.ApplyAnnouncement("web-7", Some.Announce("web-7", "i1"));
        _registry.ApplyStatus("web-7", Some.Online("web-7", "i2"));

        Assert.Empty(_registry.Find("web-7")!.Bundles);
        Assert.False(Assert.Single(_registry.Entries).IsReady);
    }

    [Fact]
    public void An_announcement_that_arrives_before_the_status_counts_once_the_status_arrives()
    {
        _registry.ApplyAnnouncement("web-7", Some.Announce("web-7", "i1"));
        Assert.False(Assert.Single(_registry.Entries).IsReady);

        _registry.ApplyStatus("web-7", Some.Online("web-7", "i1"));

        Assert.True(Assert.Single(_registry.Entries).IsReady);
    }

    [Fact]
    public void The_snapshot_is_ordered_by_relay_id()
    {
        _registry.ApplyStatus("b", Some.Online("b"));
        _registry.ApplyStatus("c", Some.Online("c"));
        _registry.ApplyStatus("a", Some.Online("a"));

        Assert.Equal(["a", "b", "c"], _registry.Snapshot().Select(r => r.RelayId));
        Assert.Null(_registry.Find("d"));
    }
}
