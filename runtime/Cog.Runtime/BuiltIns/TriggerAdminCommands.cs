using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Triggers;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>trigger-list</c>, <c>-info</c>, <c>-create</c>, <c>-update</c>, <c>-delete</c>, <c>-enable</c> and
/// <c>-disable</c> (rule: <c>operable:manage_triggers</c>) over <see cref="TriggerAdministration"/>. Options:
/// <c>--enabled/-e</c>, <c>--description/-d</c>, <c>--timeout-sec/-t</c>, <c>--as-user/-u</c>, <c>--allow-cross-origin</c>, and for updates
/// <c>--name/-n</c>, <c>--pipeline/-p</c>.</summary>
static class TriggerAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var triggers = services.Triggers;
        var urlBase = services.TriggerUrlBase;
        return
        [
            new AdminCommand("trigger-list", 0, 0, async (call, ct) =>
                Many(call, await triggers.ListAsync(null, ct).ConfigureAwait(false), t => AdminJson.Trigger(t, urlBase))),
            new AdminCommand("trigger-info", 1, 1, async (call, ct) => Reply(call, await triggers.FindAsync(Arg(call, 0), ct).ConfigureAwait(false), urlBase)),
            new AdminCommand("trigger-create", 2, 2, async (call, ct) => Reply(call,
                await triggers.CreateAsync(call.Caller.Username, AdminActor.ChatOrigin, Change(call)(new TriggerDraft(Arg(call, 0), Arg(call, 1))), ct)
                    .ConfigureAwait(false), urlBase)),
            new AdminCommand("trigger-update", 1, 1, async (call, ct) => Reply(call,
                await triggers.UpdateAsync(call.Caller.Username, AdminActor.ChatOrigin, Arg(call, 0), Change(call), ct).ConfigureAwait(false), urlBase)),
            new AdminCommand("trigger-delete", 1, AdminCommand.Unlimited, async (call, ct) =>
            {
                var items = new List<Value>(call.Input.Arguments.Length);
                foreach (var name in Args(call, 0))
                {
                    var deleted = await triggers.DeleteAsync(call.Caller.Username, AdminActor.ChatOrigin, name, ct).ConfigureAwait(false);
                    if (!deleted.IsSuccess)
                        return CommandOutcome.Error(Message(deleted));
                    items.Add(AdminJson.Trigger(deleted.Trigger, urlBase));
                }
                return CommandOutcome.Ok([.. items], call.Command);
            }),
            new AdminCommand("trigger-enable", 1, 1, async (call, ct) => Reply(call,
                await triggers.UpdateAsync(call.Caller.Username, AdminActor.ChatOrigin, Arg(call, 0), static d => d with { Enabled = true }, ct)
                    .ConfigureAwait(false), urlBase)),
            new AdminCommand("trigger-disable", 1, 1, async (call, ct) => Reply(call,
                await triggers.UpdateAsync(call.Caller.Username, AdminActor.ChatOrigin, Arg(call, 0), static d => d with { Enabled = false }, ct)
                    .ConfigureAwait(false), urlBase)),
        ];
    }

    /// <summary>The options given, applied to a draft; options not given leave the draft's fields alone.</summary>
    static Func<TriggerDraft, TriggerDraft> Change(CommandCall call)
    {
        var options = call.Input.Options;
        return draft => draft with
        {
            Name = Output.Text(call, "name") ?? draft.Name,
            Pipeline = Output.Text(call, "pipeline") ?? draft.Pipeline,
            Description = Output.Text(call, "description") ?? draft.Description,
            AsUser = Output.Text(call, "as-user") ?? draft.AsUser,
            TimeoutSeconds = options.TryGetValue("timeout-sec", out var timeout) && timeout is IntValue seconds ? seconds.Number : draft.TimeoutSeconds,
            Enabled = options.TryGetValue("enabled", out var enabled) && enabled is BoolValue flag ? flag.Flag : draft.Enabled,
            AllowCrossOrigin = options.TryGetValue("allow-cross-origin", out var allow) && allow is BoolValue allowed ? allowed.Flag : draft.AllowCrossOrigin,
        };
    }
}
