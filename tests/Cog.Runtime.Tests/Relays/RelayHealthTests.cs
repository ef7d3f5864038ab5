using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Tests.Relays;

/// <summary>A relay's announcement compared with its assignments: what it serves, and each difference with its reason.</summary>
public class RelayHealthTests
{
    readonly RelayRegistry _registry = new(TimeProvider.System);

    static BundleAssignment Assigned(string bundle, string version, string digest = Some.Digest) =>
        new(bundle, version, digest, 6, PackageFormat.Archive, new Uri($"https://cog.example.com/v1/relays/r/packages/{bundle}/{version}"), 100);

    RelaySnapshot Announced(ImmutableArray<AnnouncedBundle> bundles, ImmutableArray<BundleFailure> failures = default, bool online = true)
    {
        _registry.ApplyStatus("r", online ? Some.Online("r") : Some.Offline("r"));
        _registry.ApplyAnnouncement("r", new BundleAnnouncement("r", "i1", 1, bundles, failures.IsDefault ? [] : failures));
        return _registry.Find("r")!;
    }

    [Fact]
    public void An_assigned_version_announced_with_its_digest_is_served_without_problems()
    {
        var health = RelayHealth.Compare(Announced([new AnnouncedBundle("greeter", "1.0.0", Some.Digest)]), [Assigned("greeter", "1.0.0")]);

        Assert.Equal(["greeter 1.0.0"], health.Served.Select(static b => $"{b.Name} {b.Version}"));
        Assert.Empty(health.Problems);
    }

    [Fact]
    public void The_same_version_with_another_digest_is_not_served_and_is_a_digest_mismatch_with_the_relays_reason()
    {
        var health = RelayHealth.Compare(
            Announced([new AnnouncedBundle("greeter", "1.0.0", Some.OtherDigest)], [new BundleFailure("greeter", "1.0.0", "the download failed")]),
            [Assigned("greeter", "1.0.0")]);

        Assert.Empty(health.Served);
        var problem = Assert.Single(health.Problems);
        Assert.Equal((RelayProblemKind.DigestMismatch, "greeter", "1.0.0"), (problem.Kind, problem.Bundle, problem.Version));
        Assert.Equal($"greeter 1.0.0: the relay holds digest {Some.OtherDigest}, the server installed {Some.Digest}; nothing is routed to it. "
            + "The relay reports: the download failed", problem.Message);
    }

    [Fact]
    public void Another_version_than_the_assigned_one_is_a_version_mismatch()
    {
        var health = RelayHealth.Compare(Announced([new AnnouncedBundle("greeter", "1.0.0", Some.Digest)]), [Assigned("greeter", "1.1.0", Some.OtherDigest)]);

        Assert.Empty(health.Served);
        var problem = Assert.Single(health.Problems);
        Assert.Equal((RelayProblemKind.VersionMismatch, "greeter", "1.1.0"), (problem.Kind, problem.Bundle, problem.Version));
        Assert.Equal("greeter 1.1.0: the relay announces 1.0.0 instead; nothing is routed to it", problem.Message);
    }

    [Fact]
    public void An_assigned_bundle_not_announced_is_a_problem_with_the_failure_the_relay_reported()
    {
        var health = RelayHealth.Compare(
            Announced([], [new BundleFailure("greeter", "1.1.0", "greet.csx(3,5): error CS1002: ; expected")]),
            [Assigned("greeter", "1.1.0"), Assigned("deploy", "2.0.0")]);

        Assert.Equal(
            [
                (RelayProblemKind.NotAnnounced, "greeter 1.1.0: assigned, but the relay does not announce it. The relay reports: greet.csx(3,5): error CS1002: ; expected"),
                (RelayProblemKind.NotAnnounced, "deploy 2.0.0: assigned, but the relay does not announce it"),
            ],
            health.Problems.Select(static p => (p.Kind, p.Message)));
    }

    [Fact]
    public void An_announced_bundle_that_is_not_assigned_is_not_served_and_is_a_problem()
    {
        var health = RelayHealth.Compare(Announced([new AnnouncedBundle("deploy", "1.4.0", Some.Digest)]), []);

        Assert.Empty(health.Served);
        var problem = Assert.Single(health.Problems);
        Assert.Equal((RelayProblemKind.NotAssigned, "deploy", "1.4.0"), (problem.Kind, problem.Bundle, problem.Version));
        Assert.Equal("deploy 1.4.0: the relay announces it, but it is not assigned to the relay (none of its relay groups has the bundle, "
            + "or the bundle is disabled); nothing is routed to it", problem.Message);
    }

    [Fact]
    public void An_offline_relay_serves_nothing_and_shows_no_problems()
    {
        var health = RelayHealth.Compare(Announced([new AnnouncedBundle("greeter", "1.0.0", Some.Digest)], online: false), [Assigned("greeter", "1.0.0")]);

        Assert.Empty(health.Served);
        Assert.Empty(health.Problems);
    }
}
