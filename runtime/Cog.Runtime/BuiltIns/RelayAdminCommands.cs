using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>relay-list</c>, <c>relay-info</c> and <c>relay-update</c> (rule: <c>operable:manage_relays</c>) over
/// <see cref="RelayAdministration"/>. Chat never creates a relay and never shows or changes a token.
/// <c>relay-info</c> adds how the relay confines bundle code, when its live status reports it, and how what it announced
/// differs from what it was assigned.</summary>
static class RelayAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var relays = services.Relays;
        return
        [
            new AdminCommand("relay-list", 0, 0, async (call, ct) => Many(call, await relays.ListAsync(ct).ConfigureAwait(false), AdminJson.Relay)),
            new AdminCommand("relay-info", 1, 1, async (call, ct) =>
            {
                var found = await relays.InfoAsync(Arg(call, 0), ct).ConfigureAwait(false);
                var health = found.IsSuccess && services.LiveRelays is { } live
                    ? await live.FindAsync(found.Value!.Relay.Id, ct).ConfigureAwait(false)
                    : null;
                return Reply(call, found, details => AdminJson.Relay(details, health));
            }),
            new AdminCommand("relay-update", 1, 1, async (call, ct) =>
            {
                var (name, description) = (Output.Text(call, "name"), Output.Text(call, "description"));
                if (name is null && description is null)
                    return CommandOutcome.Error(BuiltInMessages.RelayUpdateNothing);
                return Reply(call, await relays.UpdateAsync(Actor(call), Arg(call, 0), new RelayChanges(name, null, description), ct).ConfigureAwait(false),
                    AdminJson.Relay);
            }),
        ];
    }
}
