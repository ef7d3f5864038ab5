using System.Security.Cryptography;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Tests.Relays;

public class InMemoryRelayPackageSourceTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_assigned_package_is_found_with_its_digest_size_and_content()
    {
        var source = new InMemoryRelayPackageSource();
        var content = Encoding.UTF8.GetBytes("cog_bundle_version: 6\nname: deploy\n");
        source.Add("deploy", "1.4.0", PackageFormat.Manifest, content);
        source.Assign("web-7", "deploy", "1.4.0");

        var lookup = await source.FindAsync("web-7", "deploy", "1.4.0", Token);

        Assert.Equal(RelayPackageStatus.Found, lookup.Status);
        var package = lookup.Package!;
        Assert.Equal((PackageFormat.Manifest, content.Length), (package.Format, package.Size));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), package.Digest);
        await using var stream = await package.OpenReadAsync(Token);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Token);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task A_package_not_assigned_to_the_relay_is_reported_as_such()
    {
        var source = new InMemoryRelayPackageSource();
        source.Add("deploy", "1.4.0", PackageFormat.Archive, [1, 2, 3]);
        source.Assign("web-7", "deploy", "1.4.0");
        source.Assign("web-8", "deploy", "1.4.0");
        source.Unassign("web-8", "deploy", "1.4.0");

        Assert.Equal(RelayPackageStatus.NotAssigned, (await source.FindAsync("web-8", "deploy", "1.4.0", Token)).Status);
        Assert.Equal(RelayPackageStatus.NotFound, (await source.FindAsync("web-7", "deploy", "9.9.9", Token)).Status);
    }
}
