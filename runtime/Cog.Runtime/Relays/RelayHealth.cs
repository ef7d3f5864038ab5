using System.Collections.Immutable;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>A relay's live report compared with what the server assigned it: the bundle versions it really serves and
/// the differences, for operators (the API's relay <c>status</c>, the console, <c>cogctl relay info</c>, chat
/// <c>relay-info</c>).</summary>
/// <param name="Live">What the relay last reported.</param>
/// <param name="Served">The assigned bundle versions the relay announced with the assigned digest: exactly those the
/// server routes invocations of to it.</param>
/// <param name="Problems">Each assigned bundle the relay does not serve, and each bundle it announces that is not
/// assigned to it; empty for an offline relay (its state says it all).</param>
public sealed record RelayHealth(RelaySnapshot Live, ImmutableArray<AnnouncedBundle> Served, ImmutableArray<RelayProblem> Problems)
{
    /// <summary>Compares <paramref name="live"/>'s announcement with <paramref name="assigned"/>, the bundle versions the
    /// relay should serve (one per bundle, as published to it). An assigned bundle is served when the relay announced
    /// its version with its digest; otherwise it is one problem, the first that applies: the same version with another
    /// digest, other versions, or not announced at all, each with the relay's own failure for that version when it
    /// reported one. An announced bundle no assignment names is a problem too. Another version announced beside a
    /// served one is ignored: nothing is routed to it.</summary>
    public static RelayHealth Compare(RelaySnapshot live, IReadOnlyList<BundleAssignment> assigned)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(assigned);
        if (live.State != RelayState.Online)
            return new RelayHealth(live, [], []);
        var served = ImmutableArray.CreateBuilder<AnnouncedBundle>();
        var problems = ImmutableArray.CreateBuilder<RelayProblem>();
        foreach (var assignment in assigned)
        {
            var announced = live.Bundles.Where(b => string.Equals(b.Name, assignment.Name, StringComparison.Ordinal)).ToList();
            var exact = announced.Find(b => string.Equals(b.Version, assignment.Version, StringComparison.Ordinal)
                && string.Equals(b.Digest, assignment.Digest, StringComparison.Ordinal));
            if (exact is not null)
            {
                served.Add(exact);
                continue;
            }
            var failure = live.Failures.FirstOrDefault(f => string.Equals(f.Name, assignment.Name, StringComparison.Ordinal)
                && string.Equals(f.Version, assignment.Version, StringComparison.Ordinal))?.Message;
            var sameVersion = announced.Find(b => string.Equals(b.Version, assignment.Version, StringComparison.Ordinal));
            problems.Add(sameVersion is not null
                ? new RelayProblem(RelayProblemKind.DigestMismatch, assignment.Name, assignment.Version,
                    RelayMessages.DigestMismatch(assignment.Name, assignment.Version, sameVersion.Digest, assignment.Digest, failure))
                : announced.Count > 0
                    ? new RelayProblem(RelayProblemKind.VersionMismatch, assignment.Name, assignment.Version,
                        RelayMessages.VersionMismatch(assignment.Name, assignment.Version, announced.Select(static b => b.Version), failure))
                    : new RelayProblem(RelayProblemKind.NotAnnounced, assignment.Name, assignment.Version,
                        RelayMessages.NotAnnounced(assignment.Name, assignment.Version, failure)));
        }
        foreach (var bundle in live.Bundles)
        {
            if (!assigned.Any(a => string.Equals(a.Name, bundle.Name, StringComparison.Ordinal)))
                problems.Add(new RelayProblem(RelayProblemKind.NotAssigned, bundle.Name, bundle.Version,
                    RelayMessages.AnnouncedNotAssigned(bundle.Name, bundle.Version)));
        }
        return new RelayHealth(live, served.ToImmutable(), problems.ToImmutable());
    }
}

/// <summary>One difference between what a relay serves and what it was assigned.</summary>
/// <param name="Kind">Which difference.</param>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="Version">The assigned version (<see cref="RelayProblemKind.NotAssigned"/>: the announced one).</param>
/// <param name="Message">The difference and its reason, for operators.</param>
public sealed record RelayProblem(RelayProblemKind Kind, string Bundle, string Version, string Message)
{
    /// <summary>The kind as the API and chat show it: <c>digest_mismatch</c>, <c>version_mismatch</c>,
    /// <c>not_announced</c> or <c>not_assigned</c>.</summary>
    public string Code => Kind switch
    {
        RelayProblemKind.DigestMismatch => "digest_mismatch",
        RelayProblemKind.VersionMismatch => "version_mismatch",
        RelayProblemKind.NotAnnounced => "not_announced",
        _ => "not_assigned",
    };
}

/// <summary>How a relay's announcement differs from its assignments.</summary>
public enum RelayProblemKind
{
    /// <summary>The relay holds the assigned version with another digest (<c>digest_mismatch</c>).</summary>
    DigestMismatch,

    /// <summary>The relay announces other versions of the bundle than the assigned one (<c>version_mismatch</c>).</summary>
    VersionMismatch,

    /// <summary>The relay does not announce the assigned bundle at all (<c>not_announced</c>).</summary>
    NotAnnounced,

    /// <summary>The relay announces a bundle that is not assigned to it (<c>not_assigned</c>).</summary>
    NotAssigned,
}
