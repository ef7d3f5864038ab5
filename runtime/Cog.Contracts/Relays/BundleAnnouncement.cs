using System.Collections.Immutable;

namespace Cog.Contracts.Relays;

/// <summary>The complete list of bundle versions a relay has fetched, verified and loaded, and is ready to run.
/// Published by the relay, retained, on <see cref="RelayTopic.Announce"/> whenever the list changes.</summary>
/// <param name="RelayId">The relay's id.</param>
/// <param name="InstanceId">The relay process's instance id (as in <see cref="RelayStatus.InstanceId"/>).</param>
/// <param name="Sequence">Increases with every announcement of one relay process (starting at 1); the server ignores an
/// announcement whose sequence is not greater than the last it saw from the same instance.</param>
/// <param name="Bundles">Every bundle version the relay can run now. Always the full list, never a change.</param>
/// <param name="Failures">Assigned bundle versions the relay could not make ready, with the reason (shown to operators).</param>
public sealed record BundleAnnouncement(
    string RelayId,
    string InstanceId,
    long Sequence,
    ImmutableArray<AnnouncedBundle> Bundles,
    ImmutableArray<BundleFailure> Failures) : ProtocolMessage(MessageTypes.Announce);

/// <summary>One bundle version a relay is ready to run.</summary>
/// <param name="Name">The bundle's name.</param>
/// <param name="Version">The bundle's version.</param>
/// <param name="Digest">The digest of the package the relay loaded (<c>sha256:</c> and 64 lowercase hex digits).</param>
public sealed record AnnouncedBundle(string Name, string Version, string Digest);

/// <summary>An assigned bundle version a relay could not make ready.</summary>
/// <param name="Name">The bundle's name.</param>
/// <param name="Version">The bundle's version.</param>
/// <param name="Message">Why, for operators (e.g. a digest mismatch, a download or load error).</param>
public sealed record BundleFailure(string Name, string Version, string Message);
