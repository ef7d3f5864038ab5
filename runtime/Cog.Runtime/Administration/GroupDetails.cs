using Cog.Runtime.Identity;

namespace Cog.Runtime.Administration;

/// <summary>A group with its members and the roles granted to it.</summary>
/// <param name="Group">The group.</param>
/// <param name="Members">Its users, by username.</param>
/// <param name="Roles">Its roles, by name.</param>
public sealed record GroupDetails(Group Group, IReadOnlyList<User> Members, IReadOnlyList<Role> Roles);
