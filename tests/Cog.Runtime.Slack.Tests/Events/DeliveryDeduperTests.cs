using Cog.Runtime.Slack.Events;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Slack.Tests.Events;

/// <summary>Remembering deliveries: any shared key is a duplicate; keys expire; memory is bounded.</summary>
public sealed class DeliveryDeduperTests
{
    [Fact]
    public void A_delivery_sharing_any_key_with_an_earlier_one_is_a_duplicate()
    {
        var deduper = new DeliveryDeduper(TimeSpan.FromMinutes(10), 100, new FakeTimeProvider());

        Assert.True(deduper.IsFirst("event:E1", "message:C1:1.1"));
        Assert.False(deduper.IsFirst("event:E1", "message:C1:1.1"));
        Assert.False(deduper.IsFirst("event:E2", "message:C1:1.1"));
        Assert.True(deduper.IsFirst("event:E3", "message:C1:1.2"));
    }

    [Fact]
    public void Keys_are_forgotten_after_the_window()
    {
        var time = new FakeTimeProvider();
        var deduper = new DeliveryDeduper(TimeSpan.FromMinutes(10), 100, time);
        deduper.IsFirst("event:E1");

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(deduper.IsFirst("event:E1"));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(deduper.IsFirst("event:E1"));
    }

    [Fact]
    public void Memory_is_bounded_by_the_capacity_oldest_first()
    {
        var deduper = new DeliveryDeduper(TimeSpan.FromHours(1), 16, new FakeTimeProvider());

        for (var i = 0; i < 100; i++)
            deduper.IsFirst("event:" + i);

        Assert.InRange(deduper.Count, 1, 16);
        Assert.False(deduper.IsFirst("event:99"));
        Assert.True(deduper.IsFirst("event:0"));
    }
}
