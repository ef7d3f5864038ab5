using Cog.Contracts.Relays;

namespace Cog.Contracts.Tests.Relays;

public class TopicsTests
{
    const string Id = "9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14";

    [Theory]
    [InlineData(RelayTopic.Status, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/status")]
    [InlineData(RelayTopic.Announce, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/announce")]
    [InlineData(RelayTopic.Assignments, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/assignments")]
    [InlineData(RelayTopic.Invocations, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/invocations")]
    [InlineData(RelayTopic.Acks, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/acks")]
    [InlineData(RelayTopic.Results, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/results")]
    [InlineData(RelayTopic.Cancels, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/cancels")]
    [InlineData(RelayTopic.Receipts, "cog/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/receipts")]
    public void Topic_names_are_built_and_parsed_back(RelayTopic topic, string name)
    {
        Assert.Equal(name, Topics.For(Id, topic));
        Assert.True(Topics.TryParse(name, out var relayId, out var parsed));
        Assert.Equal(Id, relayId);
        Assert.Equal(topic, parsed);
    }

    [Theory]
    [InlineData("web-7")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Valid_relay_ids_are_accepted(string relayId)
    {
        Assert.True(Topics.IsValidRelayId(relayId));
        Assert.Equal($"cog/v1/relays/{relayId}/acks", Topics.For(relayId, RelayTopic.Acks));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("web/7")]
    [InlineData("web+7")]
    [InlineData("web#")]
    [InlineData("Web-7")]
    [InlineData("9B2F6C1E-4A8D-4C3B-9F61-2D0E5A7C8B14")]
    [InlineData("web 7")]
    [InlineData("web_7")]
    [InlineData("wéb")]
    [InlineData("web\u00007")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Invalid_relay_ids_are_rejected(string relayId)
    {
        Assert.False(Topics.IsValidRelayId(relayId));
        var e = Assert.Throws<ArgumentException>(() => Topics.For(relayId, RelayTopic.Status));
        Assert.StartsWith($"'{relayId}' is not a valid relay id (1 to 64 characters from a-z, 0-9 and '-').", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Topics.AllOf(relayId));
        Assert.False(Topics.TryParse($"cog/v1/relays/{relayId}/status", out _, out _));
    }

    [Fact]
    public void A_null_relay_id_is_invalid()
    {
        Assert.False(Topics.IsValidRelayId(null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cog/v1/relays")]
    [InlineData("cog/v1/relays/")]
    [InlineData("cog/v1/relays/web-7")]
    [InlineData("cog/v1/relays/web-7/")]
    [InlineData("cog/v1/relays/web-7/unknown")]
    [InlineData("cog/v1/relays/web-7/status/extra")]
    [InlineData("cog/v1/relays/+/status")]
    [InlineData("cog/v1/relays/#")]
    [InlineData("cog/v1/relays/web-7/#")]
    [InlineData("cog/v1/relays//status")]
    [InlineData("cog/v2/relays/web-7/status")]
    [InlineData("/cog/v1/relays/web-7/status")]
    [InlineData("cog/v1/relaysx/web-7/status")]
    [InlineData("bot/relays/web-7/status")]
    [InlineData("cog/v1/relays/web-7/Status")]
    public void Other_topics_do_not_parse(string? topic)
    {
        Assert.False(Topics.TryParse(topic, out var relayId, out _));
        Assert.Null(relayId);
    }

    [Fact]
    public void Filters_for_all_relays_and_for_one_relay()
    {
        Assert.Equal("cog/v1/relays/+/results", Topics.ForAllRelays(RelayTopic.Results));
        Assert.Equal("cog/v1/relays/web-7/#", Topics.AllOf("web-7"));
    }

    [Theory]
    [InlineData(RelayTopic.Status, true)]
    [InlineData(RelayTopic.Announce, true)]
    [InlineData(RelayTopic.Assignments, false)]
    [InlineData(RelayTopic.Invocations, false)]
    [InlineData(RelayTopic.Acks, true)]
    [InlineData(RelayTopic.Results, true)]
    [InlineData(RelayTopic.Cancels, false)]
    [InlineData(RelayTopic.Receipts, false)]
    public void A_relay_publishes_on_its_own_reply_topics_and_subscribes_to_the_others(RelayTopic topic, bool relayPublishes)
    {
        var name = Topics.For("web-7", topic);

        Assert.Equal(relayPublishes, Topics.IsPublishedByRelay(topic));
        Assert.Equal(relayPublishes, Topics.RelayMayPublish("web-7", name));
        Assert.Equal(!relayPublishes, Topics.RelayMaySubscribe("web-7", name));
    }

    [Theory]
    [InlineData("cog/v1/relays/web-8/results")]
    [InlineData("cog/v1/relays/web-8/invocations")]
    [InlineData("cog/v1/relays/+/invocations")]
    [InlineData("cog/v1/relays/#")]
    [InlineData("cog/v1/relays/web-7/#")]
    [InlineData("#")]
    [InlineData("cog/v1/relays/web-7")]
    public void A_relay_may_neither_publish_nor_subscribe_outside_its_own_topics(string topic)
    {
        Assert.False(Topics.RelayMayPublish("web-7", topic));
        Assert.False(Topics.RelayMaySubscribe("web-7", topic));
    }

    [Fact]
    public void An_unknown_topic_value_is_a_bug_in_the_caller()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Topics.NameOf((RelayTopic)42));
    }
}
