using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>alias-create &lt;name&gt; &lt;pipeline&gt;</c>: a new alias of the caller (a user alias; <c>alias-move</c>
/// makes it a site alias). The name must be invocable as a command name and the pipeline must parse. Answers the alias
/// (<c>{"name", "pipeline", "visibility"}</c>).</summary>
sealed class AliasCreateCommand(BuiltInAdministration administration) : IBuiltInCommand
{
    public string Name => "alias-create";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        switch (call.Input.Arguments.Length)
        {
            case < 2:
                return CommandOutcome.Error(BuiltInMessages.NotEnoughArgs(2));
            case > 2:
                return CommandOutcome.Error(BuiltInMessages.TooManyArgs(2));
        }
        var name = call.Input.Arguments[0].ToDisplayString();
        var pipeline = call.Input.Arguments[1].ToDisplayString();
        if ((AliasSupport.CheckName(name) ?? AliasSupport.CheckPipeline(pipeline)) is { } invalid)
            return CommandOutcome.Error(invalid);
        var created = await administration.Store.Aliases.CreateAsync(new Alias(StoreId.New(), name, pipeline, call.Caller.UserId), cancellationToken)
            .ConfigureAwait(false);
        if (!created.IsSuccess)
            return CommandOutcome.Error(created.Error.Kind == StoreErrorKind.Duplicate ? BuiltInMessages.AliasNameTaken : created.Error.Message);
        var error = await AliasSupport.ChangedAsync(administration, call, "alias.created", null, created.Value, cancellationToken).ConfigureAwait(false);
        return error is null ? Output.Ok(AliasSupport.Json(created.Value!), Name) : CommandOutcome.Error(error);
    }
}
