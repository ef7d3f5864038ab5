using Cog.Relay.Bundles;

namespace Cog.Relay.Tests.Bundles;

/// <summary>The origin rule of protocol §7: the relay's credentials go only to the configured server.</summary>
public sealed class PackageCacheTests
{
    [Theory]
    [InlineData("https://cog.example/v1/relays/r/packages/b/1", true)]
    [InlineData("https://COG.example:443/x", true)]
    [InlineData("https://cog.example:8443/x", false)]
    [InlineData("http://cog.example/x", false)]
    [InlineData("https://cog.example.evil/x", false)]
    [InlineData("https://user@cog.example/x", true)]
    [InlineData("ftp://cog.example/x", false)]
    public void Only_the_configured_scheme_host_and_port_are_the_same_origin(string url, bool same)
    {
        Assert.Equal(same, PackageCache.SameOrigin(new Uri(url), new Uri("https://cog.example/")));
    }
}
