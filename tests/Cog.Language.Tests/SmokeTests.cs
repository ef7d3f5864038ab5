namespace Cog.Language.Tests;

public class SmokeTests
{
    [Fact]
    public void Arithmetic_works() => Assert.Equal(2, 1 + 1);
}
