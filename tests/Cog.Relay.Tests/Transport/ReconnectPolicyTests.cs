using Cog.Relay.Transport;

namespace Cog.Relay.Tests.Transport;

public class ReconnectPolicyTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(40, 60)]
    public void Delay_doubles_from_one_second_to_sixty_seconds(int attempt, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReconnectPolicy.Default.Delay(attempt, 0.5));
    }

    [Fact]
    public void Jitter_spreads_a_delay_by_a_quarter_either_way_and_never_past_the_maximum()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ReconnectPolicy.Default.Delay(2, 0));
        Assert.Equal(TimeSpan.FromSeconds(4.99), ReconnectPolicy.Default.Delay(2, 0.995));
        Assert.Equal(TimeSpan.FromSeconds(60), ReconnectPolicy.Default.Delay(10, 0.99));
        Assert.Equal(TimeSpan.FromSeconds(45), ReconnectPolicy.Default.Delay(10, 0));
    }
}
