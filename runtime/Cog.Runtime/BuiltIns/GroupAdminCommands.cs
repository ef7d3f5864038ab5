using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>group-list</c>, <c>group-info</c>, <c>group-create</c>, <c>group-delete</c>, <c>group-rename</c>,
/// <c>group-role-add</c>, <c>group-role-remove</c> (rule: <c>operable:manage_groups</c>) and <c>group-member-add</c>,
/// <c>group-member-remove</c> (rules: <c>operable:manage_groups</c> or <c>operable:manage_users</c>) over
/// <see cref="GroupAdministration"/>.</summary>
static class GroupAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var groups = services.Groups;
        return
        [
            new AdminCommand("group-list", 0, 0, async (call, ct) => Many(call, await groups.ListAsync(ct).ConfigureAwait(false), AdminJson.Group)),
            new AdminCommand("group-info", 1, 1, async (call, ct) => Reply(call, await groups.GetAsync(Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Group)),
            new AdminCommand("group-create", 1, 1, async (call, ct) =>
                Reply(call, await groups.CreateAsync(Actor(call), Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Group)),
            new AdminCommand("group-delete", 1, 1, async (call, ct) =>
            {
                var found = await groups.GetAsync(Arg(call, 0), ct).ConfigureAwait(false);
                if (!found.IsSuccess)
                    return CommandOutcome.Error(found.Error.Message);
                var deleted = await groups.DeleteAsync(Actor(call), found.Value!.Group.Id, ct).ConfigureAwait(false);
                return deleted.IsSuccess ? One(call, AdminJson.Group(found.Value)) : CommandOutcome.Error(deleted.Error.Message);
            }),
            new AdminCommand("group-rename", 2, 2, async (call, ct) =>
                Reply(call, await groups.RenameAsync(Actor(call), Arg(call, 0), Arg(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "old_name", new StringValue(Arg(call, 0))))),
            new AdminCommand("group-role-add", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.ChangeRolesAsync(Actor(call), Arg(call, 0), Args(call, 1), null, ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "roles_added", Names(call, 1)))),
            new AdminCommand("group-role-remove", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.ChangeRolesAsync(Actor(call), Arg(call, 0), null, Args(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "roles_removed", Names(call, 1)))),
            new AdminCommand("group-member-add", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.ChangeMembersAsync(Actor(call), Arg(call, 0), Args(call, 1), null, ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "members_added", Names(call, 1)))),
            new AdminCommand("group-member-remove", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.ChangeMembersAsync(Actor(call), Arg(call, 0), null, Args(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.Group(g), "members_removed", Names(call, 1)))),
        ];
    }
}
