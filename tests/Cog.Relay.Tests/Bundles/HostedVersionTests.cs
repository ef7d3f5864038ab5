using Cog.Relay.Bundles;

namespace Cog.Relay.Tests.Bundles;

/// <summary>Leases on a ready bundle version: counted, refused once retired, unloaded exactly once after the last.</summary>
public sealed class HostedVersionTests
{
    int _unloads;

    HostedVersion Version() =>
        new(new ReadyBundle("b", "1.0.0", "sha256:" + new string('a', 64), null!, "/nowhere"), () => Interlocked.Increment(ref _unloads));

    [Fact]
    public void A_retired_version_without_leases_is_unloaded_at_once()
    {
        var version = Version();

        version.Retire();

        Assert.Equal(1, _unloads);
        Assert.True(version.IsUnloaded);
        Assert.Null(version.TryAcquire());
    }

    [Fact]
    public void A_retired_version_is_unloaded_when_its_last_lease_ends_and_only_then()
    {
        var version = Version();
        var first = version.TryAcquire()!;
        var second = version.TryAcquire()!;
        Assert.Equal(2, version.Leases);

        version.Retire();
        Assert.Null(version.TryAcquire());
        first.Dispose();
        first.Dispose(); // a second dispose of one lease changes nothing
        Assert.Equal(0, _unloads);
        Assert.Equal(1, version.Leases);

        second.Dispose();
        Assert.Equal(1, _unloads);
        version.Retire();
        Assert.Equal(1, _unloads);
    }

    [Fact]
    public void Leases_on_a_version_in_service_never_unload_it()
    {
        var version = Version();

        version.TryAcquire()!.Dispose();

        Assert.Equal(0, _unloads);
        Assert.Equal(0, version.Leases);
        Assert.False(version.IsRetired);
    }

    [Fact]
    public async Task Concurrent_leases_and_a_retirement_unload_exactly_once()
    {
        for (var round = 0; round < 50; round++)
        {
            _unloads = 0;
            var version = Version();
            using var start = new Barrier(5);
            var takers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                for (var i = 0; i < 200; i++)
                {
                    version.TryAcquire()?.Dispose();
                }
            }, TestContext.Current.CancellationToken)).ToArray();
            start.SignalAndWait(TestContext.Current.CancellationToken);
            version.Retire();
            await Task.WhenAll(takers);

            Assert.Equal(1, _unloads);
            Assert.Equal(0, version.Leases);
        }
    }
}
