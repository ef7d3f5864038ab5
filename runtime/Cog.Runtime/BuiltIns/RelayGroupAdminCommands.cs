using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>relay-group-list</c>, <c>-info</c>, <c>-create</c>, <c>-delete</c>, <c>-rename</c>, <c>-member-add</c>,
/// <c>-member-remove</c>, <c>-member-assign</c> and <c>-member-unassign</c> (rule: <c>operable:manage_relays</c>) over
/// <see cref="RelayGroupAdministration"/>.</summary>
static class RelayGroupAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var groups = services.RelayGroups;
        return
        [
            new AdminCommand("relay-group-list", 0, 0, async (call, ct) =>
                Many(call, await groups.ListAsync(ct).ConfigureAwait(false), AdminJson.RelayGroup)),
            new AdminCommand("relay-group-info", 1, AdminCommand.Unlimited, async (call, ct) =>
            {
                var items = new List<Value>(call.Input.Arguments.Length);
                foreach (var name in Args(call, 0))
                {
                    var found = await groups.InfoAsync(name, ct).ConfigureAwait(false);
                    if (!found.IsSuccess)
                        return CommandOutcome.Error(Message(found.Error));
                    items.Add(AdminJson.RelayGroup(found.Value!));
                }
                return CommandOutcome.Ok([.. items], call.Command);
            }),
            new AdminCommand("relay-group-create", 1, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.CreateAsync(Actor(call), Arg(call, 0), Output.Text(call, "description"), Args(call, 1), ct).ConfigureAwait(false),
                    AdminJson.RelayGroup)),
            new AdminCommand("relay-group-delete", 1, 1, async (call, ct) =>
                Reply(call, await groups.DeleteAsync(Actor(call), Arg(call, 0), ct).ConfigureAwait(false), AdminJson.RelayGroup)),
            new AdminCommand("relay-group-rename", 2, 2, async (call, ct) =>
                Reply(call, await groups.RenameAsync(Actor(call), Arg(call, 0), Arg(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.RelayGroup(g), "old_name", new StringValue(Arg(call, 0))))),
            new AdminCommand("relay-group-member-add", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.AddRelaysAsync(Actor(call), Arg(call, 0), Args(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.RelayGroup(g), "relays_added", Names(call, 1)))),
            new AdminCommand("relay-group-member-remove", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.RemoveRelaysAsync(Actor(call), Arg(call, 0), Args(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.RelayGroup(g), "relays_removed", Names(call, 1)))),
            new AdminCommand("relay-group-member-assign", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.AssignBundlesAsync(Actor(call), Arg(call, 0), Args(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.RelayGroup(g), "bundles_assigned", Names(call, 1)))),
            new AdminCommand("relay-group-member-unassign", 2, AdminCommand.Unlimited, async (call, ct) =>
                Reply(call, await groups.UnassignBundlesAsync(Actor(call), Arg(call, 0), Args(call, 1), ct).ConfigureAwait(false),
                    g => With(AdminJson.RelayGroup(g), "bundles_unassigned", Names(call, 1)))),
        ];
    }
}
