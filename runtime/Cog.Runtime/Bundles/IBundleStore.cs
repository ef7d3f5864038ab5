using Cog.Runtime.Storage;

namespace Cog.Runtime.Bundles;

/// <summary>Bundles, their versions (one enabled at a time), packages and commands.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IBundleStore
{
    /// <summary>Installs a new, disabled version in one transaction: find-or-create the bundle, the version, missing
    /// permissions, commands and command versions, and the manifest's rules linked to the version. Duplicate
    /// (<see cref="StoreErrors.DuplicateVersion"/>) when the version exists.</summary>
    Task<StoreResult<BundleVersion>> InstallAsync(BundleInstall install, CancellationToken cancellationToken);

    /// <summary>The bundle with this id, or <see langword="null"/>.</summary>
    Task<Bundle?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The bundle with this name, or <see langword="null"/>.</summary>
    Task<Bundle?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every bundle, by name.</summary>
    Task<IReadOnlyList<Bundle>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The version with this id, or <see langword="null"/>.</summary>
    Task<BundleVersion?> GetVersionAsync(string versionId, CancellationToken cancellationToken);

    /// <summary>The id of a bundle's version, by the bundle's name and the version string, or <see langword="null"/>: one
    /// small indexed read, for callers that look a version up often and cache by its id.</summary>
    Task<string?> FindVersionIdAsync(string bundleName, string version, CancellationToken cancellationToken);

    /// <summary>A bundle's version by its version string, or <see langword="null"/>.</summary>
    Task<BundleVersion?> FindVersionAsync(string bundleId, string version, CancellationToken cancellationToken);

    /// <summary>A bundle's versions, in installation order.</summary>
    Task<IReadOnlyList<BundleVersion>> ListVersionsAsync(string bundleId, CancellationToken cancellationToken);

    /// <summary>Every enabled version (what relays serve and the resolver sees), by bundle name.</summary>
    Task<IReadOnlyList<BundleVersion>> ListEnabledVersionsAsync(CancellationToken cancellationToken);

    /// <summary>The package bytes of a version: the archive, or for a bare-manifest install the manifest text itself
    /// (format <c>manifest</c>, see <see cref="StoredPackages"/>); <see langword="null"/> for an unknown id or a version
    /// stored without a package (only the built-in bundle, which no relay serves).</summary>
    Task<byte[]?> GetPackageAsync(string versionId, CancellationToken cancellationToken);

    /// <summary>Enables a version and disables the bundle's other versions, atomically. NotFound.</summary>
    Task<StoreResult<BundleVersion>> EnableVersionAsync(string versionId, CancellationToken cancellationToken);

    /// <summary>Disables the bundle's enabled version (no-op when none). Protected for the built-in bundle.</summary>
    Task<StoreResult<Done>> DisableAsync(string bundleId, CancellationToken cancellationToken);

    /// <summary>Deletes a version with its command versions and rule links. InUse when it is enabled.</summary>
    Task<StoreResult<Done>> DeleteVersionAsync(string versionId, CancellationToken cancellationToken);

    /// <summary>Deletes a bundle with its versions, permissions (with their grants), commands, every rule of its
    /// commands (site rules included), config layers and relay-group assignments. InUse when a version is enabled;
    /// Protected for the built-in bundle.</summary>
    Task<StoreResult<Done>> DeleteAsync(string bundleId, CancellationToken cancellationToken);

    /// <summary>A bundle's commands (every version's), by name.</summary>
    Task<IReadOnlyList<BundleCommand>> ListCommandsAsync(string bundleId, CancellationToken cancellationToken);

    /// <summary>The command <c>bundle:command</c>, or <see langword="null"/>.</summary>
    Task<BundleCommand?> FindCommandAsync(string bundleName, string commandName, CancellationToken cancellationToken);

    /// <summary>The commands a version defines, by name.</summary>
    Task<IReadOnlyList<CommandVersion>> ListCommandVersionsAsync(string versionId, CancellationToken cancellationToken);
}
