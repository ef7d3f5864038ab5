using Cog.Language.Values;
using Cog.Runtime.Administration;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>permission-list</c>, <c>permission-info</c>, <c>permission-create</c>, <c>permission-delete</c> (rule:
/// <c>operable:manage_permissions</c>) and <c>permission-grant</c>, <c>permission-revoke</c> (rules:
/// <c>operable:manage_permissions</c> or <c>operable:manage_roles</c>) over <see cref="PermissionAdministration"/> and
/// <see cref="RoleAdministration"/>.</summary>
static class PermissionAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var permissions = services.Permissions;
        var roles = services.Roles;
        return
        [
            new AdminCommand("permission-list", 0, 0, async (call, ct) =>
                Many(call, await permissions.ListAsync(null, ct).ConfigureAwait(false), AdminJson.Permission)),
            new AdminCommand("permission-info", 1, 1, async (call, ct) =>
                Reply(call, await permissions.GetAsync(Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Permission)),
            new AdminCommand("permission-create", 1, 1, async (call, ct) =>
                Reply(call, await permissions.CreateAsync(Actor(call), Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Permission)),
            new AdminCommand("permission-delete", 1, 1, async (call, ct) =>
                Reply(call, await permissions.DeleteAsync(Actor(call), Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Permission)),
            new AdminCommand("permission-grant", 2, 2, async (call, ct) =>
                Reply(call, await roles.ChangePermissionsAsync(Actor(call), Arg(call, 1), [Arg(call, 0)], null, ct).ConfigureAwait(false),
                    r => With(AdminJson.Role(r), "permissions_granted", new ListValue([new StringValue(Arg(call, 0))])))),
            new AdminCommand("permission-revoke", 2, 2, async (call, ct) =>
                Reply(call, await roles.ChangePermissionsAsync(Actor(call), Arg(call, 1), null, [Arg(call, 0)], ct).ConfigureAwait(false),
                    r => With(AdminJson.Role(r), "permissions_revoked", new ListValue([new StringValue(Arg(call, 0))])))),
        ];
    }
}
