using Cog.Contracts.Relays;
using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Tests.Relays;

public class RelayCoverageTests
{
    [Fact]
    public void An_enabled_bundle_without_an_online_relay_that_announced_its_enabled_version_is_unserved()
    {
        InstalledBundleVersions[] installed =
        [
            Installed("served", ("1.0.0", true)),
            Installed("stale", ("1.0.0", false), ("2.0.0", true)),
            Installed("offline-only", ("1.0.0", true)),
            Installed("nowhere", ("0.1.0", true)),
            Installed("disabled", ("1.0.0", false)),
            Installed(Bundle.BuiltInName, ("1.0.0", true)),
        ];
        RelaySnapshot[] relays =
        [
            Relay("a", RelayState.Online, ("served", "1.0.0"), ("stale", "1.0.0")),
            Relay("b", RelayState.Offline, ("offline-only", "1.0.0")),
        ];

        Assert.Equal(["nowhere 0.1.0", "offline-only 1.0.0", "stale 2.0.0"], RelayCoverage.Unserved(installed, relays));
    }

    [Fact]
    public void Nothing_is_unserved_when_every_enabled_bundle_has_an_online_relay()
    {
        Assert.Empty(RelayCoverage.Unserved([Installed("echo", ("1.0.0", true))], [Relay("a", RelayState.Online, ("echo", "1.0.0"))]));
    }

    static InstalledBundleVersions Installed(string name, params (string Version, bool Enabled)[] versions) =>
        new(new Bundle("id-" + name, name, DateTimeOffset.UnixEpoch),
            [.. versions.Select(v => new BundleVersion($"{name}-{v.Version}", "id-" + name, v.Version, "{}", null, null, v.Enabled, DateTimeOffset.UnixEpoch, []))]);

    static RelaySnapshot Relay(string id, RelayState state, params (string Name, string Version)[] bundles) =>
        new(id, state, "i1", "1.0.0", [], 4, 0, 0, [.. bundles.Select(b => new AnnouncedBundle(b.Name, b.Version, Some.Digest))], [],
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
