using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>Permissions in bundle and <c>site</c> namespaces. Bundle permissions are created by
/// <see cref="Bundles.IBundleStore.InstallAsync"/> and deleted with their bundle.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IPermissionStore
{
    /// <summary>Adds a <c>site</c> permission (<see cref="Permission.BundleId"/> is ignored and stored as
    /// <see langword="null"/>). Duplicate when it exists.</summary>
    Task<StoreResult<Permission>> CreateSiteAsync(Permission permission, CancellationToken cancellationToken);

    /// <summary>The permission with this id, or <see langword="null"/>.</summary>
    Task<Permission?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The permission <c>namespace:name</c>, or <see langword="null"/>.</summary>
    Task<Permission?> FindAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Every permission, or those of one namespace, by full name.</summary>
    Task<IReadOnlyList<Permission>> ListAsync(string? ns, CancellationToken cancellationToken);

    /// <summary>Deletes a <c>site</c> permission. Protected for a bundle permission; InUse while granted to a role.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);
}
