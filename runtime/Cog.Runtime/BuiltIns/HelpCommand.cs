using Cog.Language.Options;
using Cog.Language.Rules;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>help [bundle | bundle:command] [--output]</c>: the installed bundles, a bundle's commands, or a command's manual
/// page (with its output documentation under <c>--output</c>), as one text item with the <c>text</c> template. Commands
/// the caller may not run are marked: their rules are evaluated with the caller's permissions and no arguments (a
/// dry run).
/// </summary>
sealed class HelpCommand(IPipelineDirectory directory, IBundleDocumentation documentation) : IBuiltInCommand
{
    /// <summary>The template that prints each line of <c>body</c>.</summary>
    public const string Template = "text";

    public string Name => "help";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        if (call.Input.Arguments.Length > 1)
        {
            return CommandOutcome.Error(BuiltInMessages.OverMaxArgs(1));
        }
        var bundles = await documentation.GetBundlesAsync(cancellationToken).ConfigureAwait(false);
        if (call.Input.Arguments.IsEmpty)
        {
            return Text(HelpText.Bundles(bundles));
        }
        var target = call.Input.Arguments[0].ToDisplayString();
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        var bundleName = colon < 0 ? target : target[..colon];
        var bundle = bundles.FirstOrDefault(b => b.Name == bundleName);
        var marks = await MarksAsync(call, cancellationToken).ConfigureAwait(false);
        if (colon < 0)
        {
            return bundle is null
                ? CommandOutcome.Error(BuiltInMessages.HelpBundleNotFound(target))
                : Text(HelpText.Bundle(bundle, command => marks(bundle, command)));
        }
        var command = bundle?.FindCommand(target[(colon + 1)..]);
        return command is null
            ? CommandOutcome.Error(BuiltInMessages.HelpCommandNotFound(target))
            : Text(HelpText.Command(bundle!, command, Output.Flag(call, "output"), marks(bundle!, command)));
    }

    static CommandOutcome Text(string text) => Output.Ok(Output.Body(new StringValue(text)), Template);

    /// <summary>A function giving the mark of a command the caller may not run, or <see langword="null"/>.</summary>
    async ValueTask<Func<BundleDocs, CommandDocs, string?>> MarksAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var space = await directory.GetCommandSpaceAsync(cancellationToken).ConfigureAwait(false);
        var permissions = await directory.GetPermissionsAsync(call.Caller.UserId, cancellationToken).ConfigureAwait(false);
        return (bundle, command) =>
        {
            if (!bundle.IsEnabled)
            {
                return BuiltInMessages.HelpBundleDisabled;
            }
            var decision = ICommandSpace.Decide(space.RulesFor(bundle.Name, command.Name), space.RuleProblemFor(bundle.Name, command.Name),
                $"{bundle.Name}:{command.Name}", permissions, CommandInput.Empty);
            return decision.Outcome switch
            {
                RuleOutcome.Allowed => null,
                RuleOutcome.Denied => BuiltInMessages.HelpLacksPermissions(decision.Missing),
                RuleOutcome.EvaluationFailed => BuiltInMessages.HelpRuleFailed(decision.Reason!),
                _ => BuiltInMessages.HelpNoRuleMatches,
            };
        };
    }
}
