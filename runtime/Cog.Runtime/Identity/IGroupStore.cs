using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>Groups, their members (users only) and the roles granted to them.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IGroupStore
{
    /// <summary>Adds a group. Duplicate when the name is taken.</summary>
    Task<StoreResult<Group>> CreateAsync(Group group, CancellationToken cancellationToken);

    /// <summary>The group with this id, or <see langword="null"/>.</summary>
    Task<Group?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The group with this name, or <see langword="null"/>.</summary>
    Task<Group?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every group, by name.</summary>
    Task<IReadOnlyList<Group>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Renames a group. NotFound, Duplicate.</summary>
    Task<StoreResult<Group>> RenameAsync(string id, string newName, CancellationToken cancellationToken);

    /// <summary>Deletes a group and its role grants. InUse while it has members.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds a user to a group (no-op when already a member). NotFound for an unknown group or user.</summary>
    Task<StoreResult<Done>> AddMemberAsync(string groupId, string userId, CancellationToken cancellationToken);

    /// <summary>Removes a user from a group (no-op when not a member). Protected for the last member of
    /// <c>cog-admin</c> (<see cref="StoreErrors.LastAdminMember"/>).</summary>
    Task<StoreResult<Done>> RemoveMemberAsync(string groupId, string userId, CancellationToken cancellationToken);

    /// <summary>The group's members, by username.</summary>
    Task<IReadOnlyList<User>> ListMembersAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>The groups a user is a member of, by name.</summary>
    Task<IReadOnlyList<Group>> ListGroupsOfUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Grants a role to a group (no-op when granted). NotFound for an unknown group or role.</summary>
    Task<StoreResult<Done>> GrantRoleAsync(string groupId, string roleId, CancellationToken cancellationToken);

    /// <summary>Revokes a role from a group (no-op when not granted).</summary>
    Task<StoreResult<Done>> RevokeRoleAsync(string groupId, string roleId, CancellationToken cancellationToken);

    /// <summary>The roles granted to a group, by name.</summary>
    Task<IReadOnlyList<Role>> ListRolesAsync(string groupId, CancellationToken cancellationToken);
}
