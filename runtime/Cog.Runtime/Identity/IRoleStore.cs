using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>Roles and the permissions granted to them.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IRoleStore
{
    /// <summary>Adds a role. Duplicate when the name is taken.</summary>
    Task<StoreResult<Role>> CreateAsync(Role role, CancellationToken cancellationToken);

    /// <summary>The role with this id, or <see langword="null"/>.</summary>
    Task<Role?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The role with this name, or <see langword="null"/>.</summary>
    Task<Role?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every role, by name.</summary>
    Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Renames a role. NotFound, Duplicate.</summary>
    Task<StoreResult<Role>> RenameAsync(string id, string newName, CancellationToken cancellationToken);

    /// <summary>Deletes a role and its permission grants. InUse while it is granted to a group.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Grants a permission to a role (no-op when granted). NotFound for an unknown role or permission.</summary>
    Task<StoreResult<Done>> GrantPermissionAsync(string roleId, string permissionId, CancellationToken cancellationToken);

    /// <summary>Revokes a permission from a role (no-op when not granted).</summary>
    Task<StoreResult<Done>> RevokePermissionAsync(string roleId, string permissionId, CancellationToken cancellationToken);

    /// <summary>The permissions granted to a role, by full name.</summary>
    Task<IReadOnlyList<Permission>> ListPermissionsAsync(string roleId, CancellationToken cancellationToken);

    /// <summary>A user's permissions: the union over the user's groups of their roles' permissions, as
    /// sorted, distinct full names (<c>bundle:perm</c>).</summary>
    Task<IReadOnlyList<string>> ListUserPermissionsAsync(string userId, CancellationToken cancellationToken);
}
