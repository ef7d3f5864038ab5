using Cog.Runtime.Slack.Rendering;

namespace Cog.Runtime.Slack.Tests.Rendering;

/// <summary>Cutting long mrkdwn on line boundaries with code fences kept balanced.</summary>
public sealed class MrkdwnSplitterTests
{
    [Fact]
    public void Short_text_is_one_piece_and_empty_text_none()
    {
        Assert.Equal(["short"], MrkdwnSplitter.Split("short", 100));
        Assert.Empty(MrkdwnSplitter.Split("", 100));
    }

    [Fact]
    public void Text_is_cut_on_line_boundaries()
    {
        var text = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i:00}"));

        var pieces = MrkdwnSplitter.Split(text, 40);

        Assert.All(pieces, p => Assert.True(p.Length <= 40));
        Assert.Equal(text, string.Join('\n', pieces));
        Assert.All(pieces, p => Assert.StartsWith("line ", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_cut_inside_a_code_block_closes_and_reopens_the_fence()
    {
        var text = "before\n```\n" + string.Join('\n', Enumerable.Range(1, 20).Select(i => $"code {i:00}")) + "\n```\nafter";

        var pieces = MrkdwnSplitter.Split(text, 50);

        Assert.True(pieces.Count > 2);
        Assert.All(pieces, p => Assert.True(p.Length <= 50, p));
        Assert.All(pieces, p => Assert.Equal(0, Fences(p) % 2));
        Assert.StartsWith("```\ncode", pieces[1], StringComparison.Ordinal);
        Assert.EndsWith("\n```", pieces[0], StringComparison.Ordinal);
        var restored = string.Join('\n', pieces).Replace("\n```\n```\n", "\n", StringComparison.Ordinal);
        Assert.Equal(text, restored);
    }

    [Fact]
    public void A_line_longer_than_a_piece_is_cut_preferably_at_a_space()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 40));

        var pieces = MrkdwnSplitter.Split(text, 50);

        Assert.All(pieces, p => Assert.True(p.Length <= 50, p));
        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces.SkipLast(1), p => Assert.EndsWith(" ", p, StringComparison.Ordinal));
        Assert.Equal(new string('y', 130), string.Concat(MrkdwnSplitter.Split(new string('y', 130), 50)));
    }

    static int Fences(string text)
    {
        var count = 0;
        for (var i = text.IndexOf("```", StringComparison.Ordinal); i >= 0; i = text.IndexOf("```", i + 3, StringComparison.Ordinal))
            count++;
        return count;
    }
}
