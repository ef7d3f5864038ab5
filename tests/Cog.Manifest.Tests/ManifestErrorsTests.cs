namespace Cog.Manifest.Tests;

/// <summary>Pins the messages that keep Cog 1.0's wording (the fixture suite pins the rest in context).</summary>
public class ManifestErrorsTests
{
    [Fact]
    public void Version_messages_keep_the_original_wording_with_current_version_6()
    {
        Assert.Equal(
            "cog_bundle_version not specified. You must specify a valid bundle version. The current version is 6.",
            ManifestErrors.VersionNotSpecified);
        Assert.Equal(
            "cog_bundle_version 3 is not supported. Please update your bundle config to version 6.",
            ManifestErrors.VersionNotSupported("3"));
    }

    [Fact]
    public void Rule_messages_keep_the_original_wording()
    {
        Assert.Equal("The bundle name 'a' does not match the name in the bundle, 'b'.", ManifestErrors.BundleNameMismatch("a", "b"));
        Assert.Equal("The command name 'a' does not match the name in it's rule, 'b'.", ManifestErrors.CommandNameMismatch("a", "b"));
        Assert.Equal("The permission 'a:b' is not in the list of permissions.", ManifestErrors.PermissionNotListed("a:b"));
    }
}
