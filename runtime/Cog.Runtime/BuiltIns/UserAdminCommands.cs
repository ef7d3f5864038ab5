using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using static Cog.Runtime.BuiltIns.AdminReplies;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>user-list</c>, <c>user-info</c>, <c>user-attach-handle</c>, <c>user-detach-handle</c> and
/// <c>user-list-handles</c> (rule: <c>operable:manage_users</c>) over <see cref="UserAdministration"/>. Handles are
/// those of the chat provider the command was sent from.</summary>
static class UserAdminCommands
{
    public static IBuiltInCommand[] Create(BuiltInAdminServices services)
    {
        var users = services.Users;
        return
        [
            new AdminCommand("user-list", 0, 0, async (call, ct) => Many(call, await users.ListAsync(ct).ConfigureAwait(false), AdminJson.User)),
            new AdminCommand("user-info", 1, 1, async (call, ct) => Reply(call, await users.GetAsync(Arg(call, 0), ct).ConfigureAwait(false), AdminJson.User)),
            new AdminCommand("user-attach-handle", 2, 2, async (call, ct) =>
            {
                var attached = await users.AttachChatHandleAsync(Actor(call), Arg(call, 0), call.Caller.Provider, Arg(call, 1), null, ct).ConfigureAwait(false);
                return attached.IsSuccess
                    ? await HandleAsync(users, call, attached.Value!, ct).ConfigureAwait(false)
                    : CommandOutcome.Error(attached.Error.Message);
            }),
            new AdminCommand("user-detach-handle", 1, 1, async (call, ct) =>
            {
                var detached = await users.DetachChatHandleAsync(Actor(call), Arg(call, 0), call.Caller.Provider, ct).ConfigureAwait(false);
                return detached.IsSuccess
                    ? await HandleAsync(users, call, detached.Value!, ct).ConfigureAwait(false)
                    : CommandOutcome.Error(detached.Error.Message);
            }),
            new AdminCommand("user-list-handles", 0, 0, async (call, ct) =>
            {
                var handles = new List<Language.Values.Value>();
                foreach (var user in await users.ListAsync(ct).ConfigureAwait(false))
                {
                    foreach (var handle in user.ChatHandles)
                    {
                        if (string.Equals(handle.Provider, call.Caller.Provider, StringComparison.OrdinalIgnoreCase))
                            handles.Add(AdminJson.ChatHandle(handle, user.User.Username));
                    }
                }
                return CommandOutcome.Ok([.. handles], call.Command);
            }),
        ];
    }

    static async Task<CommandOutcome> HandleAsync(UserAdministration users, CommandCall call, Identity.ChatHandle handle, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(handle.UserId, cancellationToken).ConfigureAwait(false);
        return One(call, AdminJson.ChatHandle(handle, user?.Username ?? Arg(call, 0)));
    }
}
