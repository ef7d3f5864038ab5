using Cog.Runtime.Bundles;

namespace Cog.Server.Tests.Configuration;

public sealed class BuiltInVersionTests
{
    [Fact]
    public void The_built_in_bundle_is_stored_under_its_version_with_the_manifest_digest_as_build_metadata()
    {
        Assert.Equal("1.0.0+0123456789ab", BundleRegistry.BuiltInVersion("1.0.0", "sha256:0123456789abcdef" + new string('0', 48)));
    }

    [Fact]
    public void The_manifest_inside_the_server_is_the_repository_s_built_in_manifest()
    {
        var inRepository = File.ReadAllText(Path.Combine(Cog.Testing.RepositoryPaths.Root, "bundles", "operable", "config.yaml"));
        Assert.Equal(inRepository, Cog.Server.Startup.BuiltInBundle.ManifestText());
    }
}
