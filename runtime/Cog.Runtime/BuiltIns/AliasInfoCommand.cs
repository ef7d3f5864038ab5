using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>alias-info &lt;name&gt;</c>: shows <c>user:name</c>, <c>site:name</c>, or <c>name</c> (the caller's alias,
/// else the site's).</summary>
sealed class AliasInfoCommand(BuiltInAdministration administration) : IBuiltInCommand
{
    public string Name => "alias-info";

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
        var alias = await AliasSupport.FindAsync(administration.Store.Aliases, call.Caller.UserId, reference, cancellationToken).ConfigureAwait(false);
        return alias is null ? CommandOutcome.Error(BuiltInMessages.AliasNotFound(reference)) : Output.Ok(AliasSupport.Json(alias), Name);
    }
}
