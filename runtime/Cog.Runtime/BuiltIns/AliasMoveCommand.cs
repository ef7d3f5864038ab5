using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>alias-move &lt;source&gt; &lt;destination&gt;</c>: moves an alias between the caller's aliases and the site's, or
/// renames it. The source is <c>user:name</c>, <c>site:name</c> or <c>name</c> (the caller's alias only); the
/// destination is <c>user</c> or <c>site</c> (same name), <c>user:new</c> or <c>site:new</c>, or <c>new</c> (a rename in
/// place). Answers <c>{"source": alias, "destination": alias}</c>.
/// </summary>
/// <remarks>A move between visibilities deletes and creates in one unit of work, so a taken destination name leaves the
/// source alias as it was. Unlike Cog 1.0, a site alias changes what other people's words mean, so every move that
/// involves the site names it (<c>site:…</c> as source, <c>site</c> or <c>site:…</c> as destination) and the command's
/// rules require <c>operable:manage_site_aliases</c> for those; a site alias may take the name of an installed command
/// only with <c>--shadow</c>. Site alias changes are audited.</remarks>
sealed class AliasMoveCommand(BuiltInAdministration administration, IPipelineDirectory directory) : IBuiltInCommand
{
    public string Name => "alias-move";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        switch (call.Input.Arguments.Length)
        {
            case < 2:
                return CommandOutcome.Error(BuiltInMessages.NotEnoughArgs(2));
            case > 2:
                return CommandOutcome.Error(BuiltInMessages.TooManyArgs(2));
        }
        var (reference, destination) = (call.Input.Arguments[0].ToDisplayString(), call.Input.Arguments[1].ToDisplayString());
        var (source, notFound) = await AliasSupport.FindToChangeAsync(administration.Store.Aliases, call.Caller.UserId, reference, cancellationToken)
            .ConfigureAwait(false);
        if (source is null)
            return CommandOutcome.Error(notFound!);

        var sourceIsSite = source.OwnerUserId is null;
        var (toSite, name) = destination switch
        {
            AliasSupport.User when !sourceIsSite => (false, (string?)null),
            AliasSupport.Site when sourceIsSite => (true, null),
            AliasSupport.User => (false, source.Name),
            AliasSupport.Site => (true, source.Name),
            _ when destination.StartsWith("user:", StringComparison.Ordinal) => (false, destination[5..]),
            _ when destination.StartsWith("site:", StringComparison.Ordinal) => (true, destination[5..]),
            _ => (sourceIsSite, destination),
        };
        if (name is null)
            return CommandOutcome.Error(sourceIsSite ? BuiltInMessages.AliasAlreadySite : BuiltInMessages.AliasAlreadyUser);
        if (AliasSupport.CheckName(name) is { } invalid)
            return CommandOutcome.Error(invalid);
        if (toSite && !Output.Flag(call, "shadow"))
        {
            var space = await directory.GetCommandSpaceAsync(cancellationToken).ConfigureAwait(false);
            var shadowed = space.Commands.BundlesContaining(name);
            if (shadowed.Count > 0)
                return CommandOutcome.Error(BuiltInMessages.AliasWouldShadow(name, shadowed.Select(b => $"{b.Name}:{name}")));
        }

        var target = new Alias(source.Id, name, source.Pipeline, toSite ? null : call.Caller.UserId);
        StoreResult<Alias> moved;
        if (toSite == sourceIsSite)
        {
            moved = await administration.Store.Aliases.UpdateAsync(target, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            target = target with { Id = StoreId.New() };
            moved = await MoveAsync(source, target, cancellationToken).ConfigureAwait(false);
        }
        if (!moved.IsSuccess)
            return CommandOutcome.Error(moved.Error.Kind == StoreErrorKind.Duplicate ? BuiltInMessages.AliasNameTaken : moved.Error.Message);
        var error = await AliasSupport.ChangedAsync(administration, call, "alias.moved", source, moved.Value, cancellationToken).ConfigureAwait(false);
        return error is not null
            ? CommandOutcome.Error(error)
            : Output.Ok(Output.Object(("source", AliasSupport.Json(source)), ("destination", AliasSupport.Json(moved.Value!))), Name);
    }

    async Task<StoreResult<Alias>> MoveAsync(Alias source, Alias target, CancellationToken cancellationToken)
    {
        var transaction = await administration.Store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var deleted = await transaction.Aliases.DeleteAsync(source.Id, cancellationToken).ConfigureAwait(false);
            if (!deleted.IsSuccess)
                return deleted.Error;
            var created = await transaction.Aliases.CreateAsync(target, cancellationToken).ConfigureAwait(false);
            if (!created.IsSuccess)
                return created;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return created;
        }
    }
}
