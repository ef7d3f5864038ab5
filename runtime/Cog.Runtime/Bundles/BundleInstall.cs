namespace Cog.Runtime.Bundles;

/// <summary>Everything <see cref="IBundleStore.InstallAsync"/> stores for a new version, already validated and
/// derived from the manifest by the caller.</summary>
/// <param name="BundleName">The bundle; created when new.</param>
/// <param name="Version">The version; must not exist yet.</param>
/// <param name="ManifestJson">The whole manifest as JSON.</param>
/// <param name="Description">The manifest's description.</param>
/// <param name="PackageDigest">SHA-256 of <paramref name="Package"/>, or <see langword="null"/> without a package.</param>
/// <param name="Package">The package bytes relays fetch: the archive, or the manifest text itself for a bare-manifest
/// install (the <see cref="BundleRegistry"/> always stores one); <see langword="null"/> only for a version no relay
/// serves (the built-in bundle).</param>
/// <param name="Permissions">The bundle's permission names without namespace; missing ones are created.</param>
/// <param name="Commands">The version's commands.</param>
/// <param name="Rules">The manifest's rules, each linked to this version (de-duplicated per command and text).</param>
/// <param name="InstalledAt">The installation time.</param>
/// <param name="Warnings">The manifest's warnings (<see cref="Cog.Manifest.ManifestResult.Warnings"/>), as texts.</param>
public sealed record BundleInstall(
    string BundleName, string Version, string ManifestJson, string? Description, string? PackageDigest, byte[]? Package,
    IReadOnlyList<string> Permissions, IReadOnlyList<CommandDefinition> Commands, IReadOnlyList<RuleDefinition> Rules,
    DateTimeOffset InstalledAt, IReadOnlyList<string> Warnings);
