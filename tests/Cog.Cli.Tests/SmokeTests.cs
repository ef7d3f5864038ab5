namespace Cog.Cli.Tests;

public class SmokeTests
{
    [Fact]
    public void Arithmetic_works() => Assert.Equal(2, 1 + 1);
}
