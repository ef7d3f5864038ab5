using Cog.Runtime.Identity;

namespace Cog.Runtime.Administration;

/// <summary>A role with its permissions and the groups it is granted to.</summary>
/// <param name="Role">The role.</param>
/// <param name="Permissions">Its permissions, by full name.</param>
/// <param name="Groups">The groups holding it, by name.</param>
public sealed record RoleDetails(Role Role, IReadOnlyList<Permission> Permissions, IReadOnlyList<Group> Groups);
