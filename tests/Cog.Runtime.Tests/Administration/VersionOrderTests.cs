using Cog.Runtime.Administration;

namespace Cog.Runtime.Tests.Administration;

public sealed class VersionOrderTests
{
    [Theory]
    [InlineData("1.10.0", "1.9.2")]
    [InlineData("2.0.0", "1.99.99")]
    [InlineData("1.0.0", "1.0.0-rc.1")]
    [InlineData("1.0.0-rc.2", "1.0.0-rc.1")]
    [InlineData("1.0.1", "1.0")]
    public void Versions_are_ordered_as_semantic_versions(string higher, string lower)
    {
        Assert.True(VersionOrder.Instance.Compare(higher, lower) > 0);
        Assert.True(VersionOrder.Instance.Compare(lower, higher) < 0);
    }
}
