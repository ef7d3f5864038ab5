using Cog.Runtime.Administration;
using Cog.Runtime.Identity;

namespace Cog.Api.Identity;

/// <summary><c>{"id", "name"}</c>: a group, role or relation in a list.</summary>
sealed record NamedJson(string Id, string Name);

/// <summary>A user (never the password).</summary>
sealed record UserJson(string Id, string Username, string? FirstName, string? LastName, string EmailAddress,
    IReadOnlyList<NamedJson> Groups, IReadOnlyList<ChatHandleJson> ChatHandles);

/// <summary>A group's member: the user without groups and handles.</summary>
sealed record MemberJson(string Id, string Username, string? FirstName, string? LastName, string EmailAddress);

/// <summary>A chat handle.</summary>
sealed record ChatHandleJson(string Id, string Handle, ChatProviderJson ChatProvider, UserRefJson User, string ChatProviderUserId);

/// <summary>A chat provider.</summary>
sealed record ChatProviderJson(string Name);

/// <summary>A reference to a user.</summary>
sealed record UserRefJson(string Id, string Username);

/// <summary>A group: Cog 1.0 nests users and roles under <c>members</c>; <c>roles</c> is repeated at the top.</summary>
sealed record GroupJson(string Id, string Name, GroupMembersJson Members, IReadOnlyList<NamedJson> Roles);

/// <summary>A group's members and roles.</summary>
sealed record GroupMembersJson(IReadOnlyList<MemberJson> Users, IReadOnlyList<NamedJson> Roles);

/// <summary>A role.</summary>
sealed record RoleJson(string Id, string Name, IReadOnlyList<PermissionJson> Permissions, IReadOnlyList<NamedJson> Groups);

/// <summary>A permission; <c>bundle</c> is its namespace (a bundle name or <c>site</c>).</summary>
sealed record PermissionJson(string Id, string Name, string Bundle);

/// <summary>Turns the administrations' results into the API's JSON shapes (api-contract.md).</summary>
static class IdentityJson
{
    public static UserJson User(UserDetails details) => new(
        details.User.Id, details.User.Username, details.User.FirstName, details.User.LastName, details.User.EmailAddress,
        [.. details.Groups.Select(static g => new NamedJson(g.Id, g.Name))],
        [.. details.ChatHandles.Select(h => ChatHandle(h, details.User.Username))]);

    public static MemberJson Member(User user) => new(user.Id, user.Username, user.FirstName, user.LastName, user.EmailAddress);

    public static ChatHandleJson ChatHandle(ChatHandle handle, string username) =>
        new(handle.Id, handle.Handle, new ChatProviderJson(handle.Provider), new UserRefJson(handle.UserId, username), handle.ProviderUserId);

    public static GroupJson Group(GroupDetails details)
    {
        NamedJson[] roles = [.. details.Roles.Select(static r => new NamedJson(r.Id, r.Name))];
        return new(details.Group.Id, details.Group.Name, new GroupMembersJson([.. details.Members.Select(Member)], roles), roles);
    }

    public static RoleJson Role(RoleDetails details) => new(
        details.Role.Id, details.Role.Name, [.. details.Permissions.Select(Permission)], [.. details.Groups.Select(static g => new NamedJson(g.Id, g.Name))]);

    public static PermissionJson Permission(Permission permission) => new(permission.Id, permission.Name, permission.Namespace);
}
