using Cog.Language.Resolution;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>which &lt;name&gt;</c>: whether the name is one of the caller's aliases, a site alias or a command (an alias shadows a
/// command), with the <c>which</c> template. <c>user:name</c> and <c>site:name</c> look at one kind of alias only.
/// </summary>
/// <remarks>Items: <c>{"type": "alias", "scope": "user"|"site", "name", "pipeline"}</c> (with <c>"shadows":
/// ["bundle:command", ...]</c> when the alias hides installed commands of its name),
/// <c>{"type": "command", "scope": bundle, "name", "bundles": [...]}</c> (several bundles: an unqualified use is
/// ambiguous; <c>scope</c> is the first), or <c>{"not_found": true}</c>.</remarks>
sealed class WhichCommand(IPipelineDirectory directory) : IBuiltInCommand
{
    public string Name => "which";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        switch (call.Input.Arguments.Length)
        {
            case 0:
                return CommandOutcome.Error(BuiltInMessages.NotEnoughArgs(1));
            case > 1:
                return CommandOutcome.Error(BuiltInMessages.TooManyArgs(1));
        }
        var name = call.Input.Arguments[0].ToDisplayString();
        var space = await directory.GetCommandSpaceAsync(cancellationToken).ConfigureAwait(false);
        var userAliases = await directory.GetUserAliasesAsync(call.Caller.UserId, cancellationToken).ConfigureAwait(false);
        var found = name switch
        {
            _ when name.StartsWith("user:", StringComparison.Ordinal) => Alias(userAliases.Find(name[5..]), "user", space.Commands),
            _ when name.StartsWith("site:", StringComparison.Ordinal) => Alias(space.SiteAliases.Find(name[5..]), "site", space.Commands),
            _ => Describe(name, CommandResolver.Which(name, space.Commands, userAliases, space.SiteAliases), space.Commands),
        };
        return Output.Ok(found ?? Output.Object(("not_found", BoolValue.True)), Name);
    }

    static ObjectValue? Describe(string name, WhichResult result, CommandCatalog commands) => result.Kind switch
    {
        WhichKind.UserAlias => Alias(result.Alias, "user", commands),
        WhichKind.SiteAlias => Alias(result.Alias, "site", commands),
        WhichKind.Command => Output.Object(
            ("type", new StringValue("command")),
            ("scope", new StringValue(result.Bundles[0].Name)),
            ("name", new StringValue(name)),
            ("bundles", new ListValue([.. result.Bundles.Select(static b => (Value)new StringValue(b.Name))]))),
        _ => null,
    };

    static ObjectValue? Alias(AliasDefinition? alias, string scope, CommandCatalog commands)
    {
        if (alias is null)
            return null;
        List<(string, Value)> members =
        [
            ("type", new StringValue("alias")),
            ("scope", new StringValue(scope)),
            ("name", new StringValue(alias.Name)),
            ("pipeline", new StringValue(alias.PipelineText)),
        ];
        var shadowed = commands.BundlesContaining(alias.Name);
        if (shadowed.Count > 0)
            members.Add(("shadows", new ListValue([.. shadowed.Select(b => (Value)new StringValue($"{b.Name}:{alias.Name}"))])));
        return Output.Object([.. members]);
    }
}
