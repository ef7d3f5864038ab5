using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>The bundle versions a relay should serve. Published by the server, retained, on
/// <see cref="RelayTopic.Assignments"/> whenever the set changes (a bundle version enabled, a relay group changed).</summary>
/// <param name="RelayId">The relay's id.</param>
/// <param name="Revision">Increases with every change of this relay's assignments; a relay ignores a revision lower
/// than one it has already applied.</param>
/// <param name="Bundles">Every bundle version the relay should serve: the full set, never a change. A bundle version not
/// listed should be unloaded.</param>
public sealed record BundleAssignments(
    string RelayId,
    long Revision,
    ImmutableArray<BundleAssignment> Bundles) : ProtocolMessage(MessageTypes.Assignments);

/// <summary>One bundle version to serve, and where to fetch it.</summary>
/// <param name="Name">The bundle's name.</param>
/// <param name="Version">The bundle's version.</param>
/// <param name="Digest">The SHA-256 digest of the package file (<c>sha256:</c> and 64 lowercase hex digits); the relay
/// must verify it before loading anything from the package.</param>
/// <param name="ManifestVersion">The manifest's version (4, 5 or 6).</param>
/// <param name="PackageFormat">What the package file is: an archive, or the manifest alone.</param>
/// <param name="PackageUrl">The absolute http(s) URL the relay downloads the package from, with HTTP basic
/// authentication (relay id and relay token).</param>
/// <param name="PackageSize">The package's size in bytes.</param>
public sealed record BundleAssignment(
    string Name,
    string Version,
    string Digest,
    int ManifestVersion,
    PackageFormat PackageFormat,
    Uri PackageUrl,
    long PackageSize);

/// <summary>What a bundle package file is.</summary>
[JsonConverter(typeof(StrictEnumConverter<PackageFormat>))]
public enum PackageFormat
{
    /// <summary>A ZIP archive with <c>config.yaml</c> at its root and the bundle's assemblies, scripts and templates
    /// (<c>archive</c>).</summary>
    [JsonStringEnumMemberName("archive")]
    Archive,

    /// <summary>The manifest file alone (<c>manifest</c>): a version 4 or 5 bundle whose executables are installed on
    /// the relay host, as in Cog 1.0.</summary>
    [JsonStringEnumMemberName("manifest")]
    Manifest,
}
