using System.Text;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Relays;

public sealed class StoreRelayPackageSourceTests : IAsyncLifetime
{
    StoreWorld _world = null!;
    StoreRelayPackageSource _source = null!;

    static CancellationToken Ct => StoreWorld.Ct;

    public async ValueTask InitializeAsync()
    {
        _world = await StoreWorld.OpenAsync();
        _source = new StoreRelayPackageSource(_world.Store);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<(RelayRecord Member, RelayRecord Outsider, byte[] Package)> AssignedAsync()
    {
        var member = await _world.RelayAsync("web-1");
        var outsider = await _world.RelayAsync("web-2");
        await _world.RelayGroupAsync("prod");
        var package = _world.ScriptPackage(version: "0.1.0");
        (await _world.Registry.InstallAsync(package, enable: true, Ct)).GetValueOrThrow();
        (await _world.Registry.InstallAsync(_world.ScriptPackage(version: "0.2.0"), enable: false, Ct)).GetValueOrThrow();
        (await _world.Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        (await _world.Registry.AssignAsync("prod", "scripted", Ct)).GetValueOrThrow();
        return (member, outsider, package);
    }

    [Fact]
    public async Task The_enabled_version_of_an_assigned_bundle_is_found_with_its_bytes()
    {
        var (member, _, package) = await AssignedAsync();

        var found = await _source.FindAsync(member.Id, "scripted", "0.1.0", Ct);

        Assert.Equal(RelayPackageStatus.Found, found.Status);
        Assert.Equal((PackageFormat.Archive, InMemoryRelayPackageSource.DigestOf(package), (long)package.Length),
            (found.Package!.Format, found.Package.Digest, found.Package.Size));
        await using var stream = await found.Package.OpenReadAsync(Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal(package, copy.ToArray());
    }

    [Fact]
    public async Task A_manifest_only_version_is_served_as_a_manifest()
    {
        var relay = await _world.RelayAsync("web-1");
        await _world.RelayGroupAsync("prod");
        var text = StoreWorld.Manifest();
        await _world.InstallAsync(text, enable: true);
        (await _world.Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        (await _world.Registry.AssignAsync("prod", "deploy", Ct)).GetValueOrThrow();

        var found = await _source.FindAsync(relay.Id, "deploy", "1.0.0", Ct);

        Assert.Equal((RelayPackageStatus.Found, PackageFormat.Manifest, (long)Encoding.UTF8.GetByteCount(text)),
            (found.Status, found.Package!.Format, found.Package.Size));
    }

    [Fact]
    public async Task A_disabled_version_or_a_relay_outside_the_groups_is_not_assigned()
    {
        var (member, outsider, _) = await AssignedAsync();

        Assert.Equal(RelayPackageStatus.NotAssigned, (await _source.FindAsync(member.Id, "scripted", "0.2.0", Ct)).Status);
        Assert.Equal(RelayPackageStatus.NotAssigned, (await _source.FindAsync(outsider.Id, "scripted", "0.1.0", Ct)).Status);
    }

    [Theory]
    [InlineData("nope", "0.1.0")]
    [InlineData("scripted", "9.9.9")]
    public async Task An_unknown_bundle_or_version_is_not_found(string bundle, string version)
    {
        var (member, _, _) = await AssignedAsync();

        Assert.Equal(RelayPackageStatus.NotFound, (await _source.FindAsync(member.Id, bundle, version, Ct)).Status);
    }
}
