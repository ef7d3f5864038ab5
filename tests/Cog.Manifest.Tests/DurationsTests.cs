namespace Cog.Manifest.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1m30s", 90)]
    [InlineData("2h0m5s", 7205)]
    [InlineData("0m1s", 1)]
    public void Duration_text_is_read(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0s")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("5x")]
    [InlineData("30s5m")]
    [InlineData("5m5m")]
    [InlineData("1.5m")]
    [InlineData("-5s")]
    [InlineData("99999999999999999999h")]
    public void Anything_else_is_not_a_duration(string text)
    {
        Assert.Null(Durations.Parse(text));
    }
}
