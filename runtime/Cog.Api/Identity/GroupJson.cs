namespace Cog.Api.Identity;

/// <summary>A group: Cog 1.0 nests users and roles under <c>members</c>; <c>roles</c> is repeated at the top.</summary>
sealed record GroupJson(string Id, string Name, GroupMembersJson Members, IReadOnlyList<NamedJson> Roles);
