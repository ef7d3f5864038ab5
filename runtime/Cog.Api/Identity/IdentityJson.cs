using Cog.Runtime.Administration;
using Cog.Runtime.Identity;

namespace Cog.Api.Identity;

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
