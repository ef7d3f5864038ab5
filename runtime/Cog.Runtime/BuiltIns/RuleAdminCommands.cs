using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>rule-list</c>, <c>rule-info</c>, <c>rule-create</c> and <c>rule-delete</c> (rule:
/// <c>operable:manage_commands</c>) over <see cref="RuleAdministration"/>.</summary>
static class RuleAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var rules = services.Rules;
        return
        [
            new AdminCommand("rule-list", 0, 1, async (call, ct) =>
            {
                if (call.Input.Arguments.IsEmpty)
                    return Many(call, await rules.ListAsync(ct).ConfigureAwait(false), Json);
                var listed = await rules.ListAsync(Arg(call, 0), ct).ConfigureAwait(false);
                return listed.IsSuccess ? Many(call, listed.Value!, Json) : CommandOutcome.Error(Message(listed.Error));
            }),
            new AdminCommand("rule-info", 1, 1, async (call, ct) => Reply(call, await rules.InfoAsync(Arg(call, 0), ct).ConfigureAwait(false), Json)),
            new AdminCommand("rule-create", 1, 2, async (call, ct) => Reply(call, call.Input.Arguments.Length == 1
                ? await rules.CreateAsync(Actor(call), Arg(call, 0), ct).ConfigureAwait(false)
                : await rules.CreateAsync(Actor(call), Arg(call, 0), Arg(call, 1), ct).ConfigureAwait(false), Json)),
            new AdminCommand("rule-delete", 1, AdminCommand.Unlimited, async (call, ct) =>
            {
                var deleted = await rules.DeleteAsync(Actor(call), Args(call, 0), ct).ConfigureAwait(false);
                return deleted.IsSuccess ? Many(call, deleted.Value!, static d => Json(d.Rule)) : CommandOutcome.Error(Message(deleted.Error));
            }),
        ];
    }

    static Value Json(RuleDetails rule) => AdminJson.Rule(rule.Rule, rule.Command);
}
