using Cog.Runtime.Chat;

namespace Cog.Runtime.Tests.Chat;

/// <summary>Cog 1.0: which messages are pipelines and their text.</summary>
public sealed class ChatTextTests
{
    static readonly ChatUser Alice = new("U1", "alice");
    static readonly ChatRoom Ops = new("C1", "ops", false);
    static readonly ChatRoom Direct = new("D1", ChatRoom.DirectName, true);

    static string? Pipeline(string text, ChatRoom? room = null, bool addressed = false, string prefix = "!", string? mention = "@cog") =>
        ChatText.ToPipeline(new ChatMessage("slack", "m1", room ?? Ops, Alice, text, AddressedToBot: addressed), prefix, mention, "!!");

    [Theory]
    [InlineData("!echo hi", "echo hi")]
    [InlineData("  !echo hi  ", "echo hi")]
    [InlineData("!  echo hi", "echo hi")]
    [InlineData("@cog echo hi", "echo hi")]
    [InlineData("@cog: echo hi", "echo hi")]
    [InlineData("@cog:echo hi", "echo hi")]
    [InlineData("@Cog   :  echo hi", "echo hi")]
    [InlineData("@COG: echo hi", "echo hi")]
    [InlineData("@cog !echo hi", "echo hi")]
    [InlineData("!!", "!!")]
    [InlineData("@cog: !!", "!!")]
    [InlineData("!!echo hi", "echo hi")]
    public void In_a_room_the_prefix_or_the_bot_mention_makes_a_pipeline(string text, string? expected) =>
        Assert.Equal(expected, Pipeline(text));

    [Theory]
    [InlineData("echo hi")]
    [InlineData("!")]
    [InlineData("! ")]
    [InlineData("@cog")]
    [InlineData("@cog:")]
    [InlineData("@cogbot echo hi")]
    [InlineData("hello @cog echo hi")]
    [InlineData("")]
    public void In_a_room_anything_else_and_a_bare_prefix_or_mention_is_ignored(string text) => Assert.Null(Pipeline(text));

    [Theory]
    [InlineData("echo hi", "echo hi")]
    [InlineData("!echo hi", "echo hi")]
    [InlineData("!!", "!!")]
    public void A_direct_message_is_all_pipeline(string text, string expected) => Assert.Equal(expected, Pipeline(text, Direct));

    [Fact]
    public void A_message_the_provider_says_is_for_the_bot_is_all_pipeline() => Assert.Equal("echo hi", Pipeline("echo hi", addressed: true));

    [Fact]
    public void A_provider_without_mentions_needs_the_prefix() => Assert.Null(Pipeline("@cog echo hi", mention: null));

    [Fact]
    public void The_prefix_is_configurable() => Assert.Equal("echo hi", Pipeline("cog> echo hi", prefix: "cog>"));

    [Theory]
    [InlineData("echo \u201Ca b\u201D", "echo \"a b\"")]
    [InlineData("echo \u2018a b\u2019", "echo 'a b'")]
    [InlineData("echo \u2014verbose", "echo --verbose")]
    [InlineData("echo plain", "echo plain")]
    public void Sanitizing_straightens_quotes_and_turns_an_em_dash_into_two_dashes(string text, string expected) =>
        Assert.Equal(expected, ChatText.Sanitize(text, "!", "!!"));
}
