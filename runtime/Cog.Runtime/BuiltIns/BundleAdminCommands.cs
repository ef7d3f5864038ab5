using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>bundle-list</c>, <c>bundle-info</c>, <c>bundle-versions</c>, <c>bundle-enable</c>,
/// <c>bundle-disable</c> and <c>bundle-install</c> (rule: <c>operable:manage_commands</c>) over
/// <see cref="BundleAdministration"/>.</summary>
static class BundleAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var bundles = services.Bundles;
        return
        [
            new AdminCommand("bundle-list", 0, 0, async (call, ct) => Many(call, await bundles.ListAsync(ct).ConfigureAwait(false), AdminJson.Bundle)),
            new AdminCommand("bundle-info", 1, 1, async (call, ct) => Reply(call, await bundles.InfoAsync(Arg(call, 0), ct).ConfigureAwait(false), AdminJson.Bundle)),
            new AdminCommand("bundle-versions", 1, 1, async (call, ct) =>
            {
                var found = await bundles.InfoAsync(Arg(call, 0), ct).ConfigureAwait(false);
                return found.IsSuccess
                    ? Many(call, found.Value!.Versions, v => AdminJson.Version(v, found.Value.Bundle.Name))
                    : CommandOutcome.Error(Message(found.Error));
            }),
            new AdminCommand("bundle-enable", 1, 2, async (call, ct) =>
            {
                var name = Arg(call, 0);
                var enabled = await bundles.EnableAsync(Actor(call), name, call.Input.Arguments.Length > 1 ? Arg(call, 1) : null, ct).ConfigureAwait(false);
                return enabled.IsSuccess ? await InfoAsync(bundles, call, name, ct).ConfigureAwait(false) : CommandOutcome.Error(Message(enabled.Error));
            }),
            new AdminCommand("bundle-disable", 1, 1, async (call, ct) =>
            {
                var name = Arg(call, 0);
                var disabled = await bundles.DisableAsync(Actor(call), name, ct).ConfigureAwait(false);
                if (!disabled.IsSuccess)
                    return CommandOutcome.Error(Message(disabled.Error));
                return disabled.Value is null
                    ? CommandOutcome.Error(AdminMessages.BundleAlreadyDisabled(name))
                    : await InfoAsync(bundles, call, name, ct).ConfigureAwait(false);
            }),
            new AdminCommand("bundle-install", 1, 2, static (_, _) => Task.FromResult(CommandOutcome.Error(BuiltInMessages.BundleInstallUnavailable))),
        ];
    }

    /// <summary>The bundle as it is after a change.</summary>
    static async Task<CommandOutcome> InfoAsync(BundleAdministration bundles, CommandCall call, string name, CancellationToken cancellationToken) =>
        Reply(call, await bundles.InfoAsync(name, cancellationToken).ConfigureAwait(false), AdminJson.Bundle);
}
