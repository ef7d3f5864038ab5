using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Pipeline;

public sealed class DynamicConfigTests
{
    static ConfigLayer Layer(string name, string json) => new("b", name, json, StoreWorld.Start);

    static readonly DynamicConfig Layers = DynamicConfig.From([
        Layer("base", """{"REGION":"eu-west-1","LEVEL":"info","TOKEN":"base","COG_USER":"x","RELAY_ID":"y","PORT":8080,"DEBUG":true,"GONE":null}"""),
        Layer("room/ops", """{"LEVEL":"debug","TOKEN":"room"}"""),
        Layer("user/alice", """{"TOKEN":"alice"}"""),
        Layer("room/broken", "not json"),
    ]);

    [Fact]
    public void Layers_merge_base_then_room_then_user_with_later_keys_winning()
    {
        var merged = Layers.Merge("ops", "alice");

        Assert.Equal(
            [new("DEBUG", "true"), new("LEVEL", "debug"), new("PORT", "8080"), new("REGION", "eu-west-1"), new KeyValuePair<string, string>("TOKEN", "alice")],
            merged);
    }

    [Theory]
    [InlineData("OPS", "Alice", "alice")]
    [InlineData("direct", "bob", "base")]
    [InlineData("ops", "bob", "room")]
    public void Layer_names_are_compared_lower_case(string room, string user, string token) =>
        Assert.Equal(token, Layers.Merge(room, user)["TOKEN"]);

    [Fact]
    public void Cog_and_relay_keys_are_dropped()
    {
        var merged = DynamicConfig.From([Layer("user/alice", """{"COG_ROOM":"x","RELAY_COG_TOKEN":"y","cog_lower":"kept"}""")]).Merge("ops", "alice");

        Assert.Equal([new KeyValuePair<string, string>("cog_lower", "kept")], merged);
    }

    [Fact]
    public void An_unreadable_layer_configures_nothing()
    {
        Assert.Equal("info", Layers.Merge("broken", "bob")["LEVEL"]);
        Assert.Empty(DynamicConfig.Empty.Merge("ops", "alice"));
    }
}
