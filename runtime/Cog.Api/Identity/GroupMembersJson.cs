namespace Cog.Api.Identity;

/// <summary>A group's members and roles.</summary>
sealed record GroupMembersJson(IReadOnlyList<MemberJson> Users, IReadOnlyList<NamedJson> Roles);
