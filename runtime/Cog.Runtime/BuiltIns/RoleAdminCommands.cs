using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>role-list</c>, <c>role-info</c>, <c>role-create</c>, <c>role-delete</c>, <c>role-rename</c>,
/// <c>role-grant</c> and <c>role-revoke</c> (rule: <c>operable:manage_roles</c>) over <see cref="RoleAdministration"/>
/// and <see cref="GroupAdministration"/>.</summary>
static class RoleAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var roles = services.Roles;
        var groups = services.Groups;
        return
        [
            new AdminCommand("role-list", 0, 0, async (call, ct) => Many(call, await roles.ListAsync(ct).ConfigureAwait(false), AdminJson.Role)),
            new AdminCommand("role-info", 1, 1, async (call, ct) => Reply(call, await roles.GetAsync(Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Role)),
            new AdminCommand("role-create", 1, 1, async (call, ct) =>
                Reply(call, await roles.CreateAsync(Actor(call), Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Role)),
            new AdminCommand("role-delete", 1, 1, async (call, ct) =>
            {
                var found = await roles.GetAsync(Arg(call, 0), ct).ConfigureAwait(false);
                if (!found.IsSuccess)
                    return CommandOutcome.Error(found.Error.Message);
                var deleted = await roles.DeleteAsync(Actor(call), found.Value!.Role.Id, ct).ConfigureAwait(false);
                return deleted.IsSuccess ? One(call, AdminJson.Role(found.Value)) : CommandOutcome.Error(deleted.Error.Message);
            }),
            new AdminCommand("role-rename", 2, 2, async (call, ct) =>
                Reply(call, await roles.RenameAsync(Actor(call), Arg(call, 0), Arg(call, 1), ct).ConfigureAwait(false),
                    r => With(AdminJson.Role(r), "old_name", new StringValue(Arg(call, 0))))),
            new AdminCommand("role-grant", 2, 2, async (call, ct) =>
                Reply(call, await groups.ChangeRolesAsync(Actor(call), Arg(call, 1), [Arg(call, 0)], null, ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "roles_added", Names(call, 0)))),
            new AdminCommand("role-revoke", 2, 2, async (call, ct) =>
                Reply(call, await groups.ChangeRolesAsync(Actor(call), Arg(call, 1), null, [Arg(call, 0)], ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "roles_removed", new ListValue([new StringValue(Arg(call, 0))])))),
        ];
    }
}
