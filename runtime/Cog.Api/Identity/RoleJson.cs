namespace Cog.Api.Identity;

/// <summary>A role.</summary>
sealed record RoleJson(string Id, string Name, IReadOnlyList<PermissionJson> Permissions, IReadOnlyList<NamedJson> Groups);
