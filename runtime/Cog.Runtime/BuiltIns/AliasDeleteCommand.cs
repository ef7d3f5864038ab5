using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>alias-delete &lt;name&gt;</c>: deletes <c>user:name</c>, <c>site:name</c>, or <c>name</c> (the caller's
/// alias; a site alias is deleted only when named <c>site:name</c>, which the command's rules reserve to holders of
/// <c>operable:manage_site_aliases</c>). Answers the deleted alias.</summary>
sealed class AliasDeleteCommand(BuiltInAdministration administration) : IBuiltInCommand
{
    public string Name => "alias-delete";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        switch (call.Input.Arguments.Length)
        {
            case 0:
                return CommandOutcome.Error(BuiltInMessages.NotEnoughArgs(1));
            case > 1:
                return CommandOutcome.Error(BuiltInMessages.TooManyArgs(1));
        }
        var reference = call.Input.Arguments[0].ToDisplayString();
        var (alias, notFound) = await AliasSupport.FindToChangeAsync(administration.Store.Aliases, call.Caller.UserId, reference, cancellationToken)
            .ConfigureAwait(false);
        if (alias is null)
            return CommandOutcome.Error(notFound!);
        var deleted = await administration.Store.Aliases.DeleteAsync(alias.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return CommandOutcome.Error(BuiltInMessages.AliasNotFound(reference));
        var error = await AliasSupport.ChangedAsync(administration, call, "alias.deleted", alias, null, cancellationToken).ConfigureAwait(false);
        return error is null ? Output.Ok(AliasSupport.Json(alias), Name) : CommandOutcome.Error(error);
    }
}
