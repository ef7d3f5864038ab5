using Cog.Runtime.Slack.Text;

namespace Cog.Runtime.Slack.Tests.Text;

/// <summary>Escaping, decoding and the normalisation of incoming Slack markup.</summary>
public sealed class SlackTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a < b & c > d", "a &lt; b &amp; c &gt; d")]
    [InlineData("*not bold* \"quotes\" 'x'", "*not bold* \"quotes\" 'x'")]
    public void Escaping_touches_exactly_three_characters(string text, string expected) =>
        Assert.Equal(expected, SlackText.Escape(text));

    [Theory]
    [InlineData("&lt;b&gt; &amp;amp; &quot; &", "<b> &amp; &quot; &")]
    [InlineData("no entities", "no entities")]
    public void Decoding_undoes_exactly_the_three_escapes(string text, string expected) =>
        Assert.Equal(expected, SlackText.Decode(text));

    [Theory]
    [InlineData("<@U1> hi", "@alice hi")]
    [InlineData("<@U1|old-name> hi", "@alice hi")]
    [InlineData("<@U9|ghost> hi", "@ghost hi")]
    [InlineData("<@U9> hi", "@U9 hi")]
    [InlineData("to <#C1|ops>", "to #ops")]
    [InlineData("to <#C1>", "to #general")]
    [InlineData("to <#C9>", "to #C9")]
    [InlineData("<https://x.io/a?b=1&amp;c=2|x.io> <http://y.io>", "x.io http://y.io")]
    [InlineData("<mailto:a@b.c|a@b.c> <mailto:d@e.f>", "a@b.c d@e.f")]
    [InlineData("<!here> <!channel> <!everyone> <!here|@here>", "@here @channel @everyone @here")]
    [InlineData("<!subteam^S1|@oncall> <!subteam^S2>", "@oncall @S2")]
    [InlineData("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014")]
    [InlineData("echo &lt;not a token&gt; &amp;&amp; a <b", "echo <not a token> && a <b")]
    [InlineData("“quoted” — unchanged", "“quoted” — unchanged")]
    public void Incoming_markup_becomes_plain_text(string text, string expected)
    {
        var normalized = SlackText.Normalize(text, id => id == "U1" ? "alice" : null, id => id == "C1" ? "general" : null);

        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void References_needing_names_are_collected()
    {
        var users = new List<string>();
        var channels = new List<string>();

        SlackText.CollectReferences("<@U1> <@U2|bob> <#C1> <#C2|named> <!here> <https://x>", users, channels);

        Assert.Equal(["U1", "U2"], users);
        Assert.Equal(["C1"], channels);
    }

    [Theory]
    [InlineData("<@UBOT> echo hi", true, "echo hi")]
    [InlineData("  <@UBOT>: echo hi", true, "echo hi")]
    [InlineData("<@UBOT|cog>:echo hi", true, "echo hi")]
    [InlineData("<@UBOT>", true, "")]
    [InlineData("<@UOTHER> echo hi", false, "<@UOTHER> echo hi")]
    [InlineData("hey <@UBOT> echo", false, "hey <@UBOT> echo")]
    public void A_leading_mention_of_the_bot_is_stripped(string text, bool stripped, string rest)
    {
        Assert.Equal(stripped, SlackText.TryStripLeadingMention(text, "UBOT", out var actual));
        Assert.Equal(rest, actual);
    }
}
