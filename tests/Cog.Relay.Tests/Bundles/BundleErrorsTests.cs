using System.Collections.Immutable;
using Cog.Manifest;
using Cog.Relay.Bundles;

namespace Cog.Relay.Tests.Bundles;

/// <summary>The exact texts operators read in a relay's announced failures.</summary>
public sealed class BundleErrorsTests
{
    [Fact]
    public void Every_message_reads_as_pinned()
    {
        Assert.Equal(
            "The package URL http://evil.example/p is not on the relay's server https://cog.example:8443; the relay sends its credentials only there and did not download it.",
            BundleErrors.ForeignOrigin(new Uri("http://evil.example/p"), new Uri("https://cog.example:8443/")));
        Assert.Equal("The server refused the relay's credentials when it downloaded the package (HTTP 401): check the relay id and token.", BundleErrors.Unauthorized);
        Assert.Equal("The server refused the package download (HTTP 403): this bundle version is not assigned to this relay.", BundleErrors.Forbidden);
        Assert.Equal("The server has no package for this bundle version (HTTP 404).", BundleErrors.NotFound);
        Assert.Equal("The package download failed: the server answered HTTP 502 Bad Gateway.", BundleErrors.HttpStatus(502, "Bad Gateway"));
        Assert.Equal("The package download failed: the server answered HTTP 599.", BundleErrors.HttpStatus(599, null));
        Assert.Equal("The package download failed: Connection refused (127.0.0.1:9)", BundleErrors.Network("Connection refused (127.0.0.1:9)"));
        Assert.Equal("The package download failed: the server did not answer in time.", BundleErrors.TimedOut);
        Assert.Equal("The package is 10 bytes, but its assignment says 12 bytes.", BundleErrors.SizeMismatch(12, 10));
        Assert.Equal("The package is larger than the 12 bytes its assignment says; the download was stopped.", BundleErrors.TooLong(12));
        Assert.Equal("The package's digest does not match its assignment: expected sha256:aa, received sha256:bb.", BundleErrors.DigestMismatch("sha256:aa", "sha256:bb"));
        Assert.Equal("The package could not be kept in the relay's cache: disk full", BundleErrors.CacheFailed("disk full"));
        Assert.Equal("The package holds bundle 'a' version '1', not the assigned 'b' version '2'.", BundleErrors.WrongBundle("b", "2", "a", "1"));
        Assert.Equal("The package's manifest is cog_bundle_version 6, but its assignment says 5.", BundleErrors.WrongManifestVersion(5, 6));
        Assert.Equal("The bundle 'x' version '1.0' is already served from the dev folder '/dev/a'.", BundleErrors.DevDuplicate("x", "1.0", "/dev/a"));
        Assert.Equal("The bundle version could not be made ready because of a relay error: IOException: boom", BundleErrors.Unexpected("IOException", "boom"));
    }

    [Fact]
    public void An_invalid_manifest_lists_five_located_errors_and_counts_the_rest()
    {
        var errors = Enumerable.Range(1, 7).Select(i => new ManifestError($"Problem {i}.", "b/config.yaml", i, 2, "#")).ToImmutableArray();

        Assert.Equal("""
            The bundle's manifest is invalid:
            b/config.yaml:1:2: Problem 1.
            b/config.yaml:2:2: Problem 2.
            b/config.yaml:3:2: Problem 3.
            b/config.yaml:4:2: Problem 4.
            b/config.yaml:5:2: Problem 5.
            ... and 2 more error(s).
            """, BundleErrors.InvalidManifest(errors));
        Assert.Equal("The bundle's manifest is invalid:\nb/config.yaml:1:2: Problem 1.", BundleErrors.InvalidManifest(errors[..1]));
        Assert.Equal("The bundle's manifest is invalid.", BundleErrors.InvalidManifest([]));
    }
}
