using Cog.Language.Options;
using Cog.Language.Rules;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>help [bundle | command | bundle:command | words of a command] [--output]</c>, looked up as Cog 1.0 did: no
/// argument lists the installed bundles (template <c>help_bundles</c>); a name without a colon is a bundle, else a
/// command of that name in any bundle (<c>help echo</c>); <c>bundle:command</c> is that command; several words name
/// a command git-style, joined by hyphens (<c>help rule create</c> is <c>rule-create</c>). A bundle shows as
/// <c>help_bundle</c>, a command as its manual page <c>help_command</c> (with its output documentation under
/// <c>--output</c>). Commands the caller may not run are marked: their rules are evaluated with the caller's
/// permissions and no arguments (a dry run).
/// </summary>
sealed class HelpCommand(IPipelineDirectory directory, IBundleDocumentation documentation) : IBuiltInCommand
{
    public string Name => "help";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var bundles = await documentation.GetBundlesAsync(cancellationToken).ConfigureAwait(false);
        var words = AdminReplies.Args(call, 0);
        if (words.Length == 0)
            return Output.Ok(HelpPages.Bundles(bundles), "help_bundles");

        var access = await AccessAsync(call, cancellationToken).ConfigureAwait(false);
        if (words[0].Contains(':', StringComparison.Ordinal))
        {
            var name = string.Join('-', words);
            return FindCommand(bundles, name) switch
            {
                { Commands: [var (bundle, command)] } => Page(bundle, command),
                { Commands: [] } => CommandOutcome.Error(BuiltInMessages.HelpCommandNotFound(name)),
                var found => CommandOutcome.Error(BuiltInMessages.HelpAmbiguous(name, found.Names)),
            };
        }
        if (words.Skip(1).Any(static w => w.Contains(':', StringComparison.Ordinal)))
            return CommandOutcome.Error(BuiltInMessages.HelpInvalidBundle(string.Join(' ', words).Split(':')[0]));
        if (words.Length == 1 && bundles.FirstOrDefault(b => b.Name == words[0]) is { } named)
            return Output.Ok(HelpPages.Bundle(named, command => access(named, command)), "help_bundle");

        var joined = string.Join('-', words);
        return FindCommand(bundles, joined) switch
        {
            { Commands: [var (bundle, command)] } => Page(bundle, command),
            { Commands: [] } => CommandOutcome.Error(words.Length == 1
                ? BuiltInMessages.HelpNothingFound(joined)
                : BuiltInMessages.HelpNoCommandFound(joined)),
            var found => CommandOutcome.Error(BuiltInMessages.HelpAmbiguous(joined, found.Names)),
        };

        CommandOutcome Page(BundleDocs bundle, CommandDocs command) =>
            Output.Ok(HelpPages.Command(bundle, command, Output.Flag(call, "output"), access(bundle, command)), "help_command");
    }

    /// <summary>The commands a name means: <c>bundle:command</c>, or a command of that name in any bundle.</summary>
    static Matches FindCommand(IReadOnlyList<BundleDocs> bundles, string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var bundleName = colon < 0 ? null : name[..colon];
        var commandName = colon < 0 ? name : name[(colon + 1)..];
        var found = new List<(BundleDocs, CommandDocs)>();
        foreach (var bundle in bundles)
        {
            if ((bundleName is null || bundle.Name == bundleName) && bundle.FindCommand(commandName) is { } command)
                found.Add((bundle, command));
        }
        return new Matches(found);
    }

    sealed record Matches(List<(BundleDocs Bundle, CommandDocs Command)> Commands)
    {
        public IEnumerable<string> Names => Commands.Select(static c => $"{c.Bundle.Name}:{c.Command.Name}");
    }

    /// <summary>A function giving why the caller may not run a command, or <see langword="null"/>.</summary>
    async ValueTask<Func<BundleDocs, CommandDocs, string?>> AccessAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var space = await directory.GetCommandSpaceAsync(cancellationToken).ConfigureAwait(false);
        var permissions = await directory.GetPermissionsAsync(call.Caller.UserId, cancellationToken).ConfigureAwait(false);
        return (bundle, command) =>
        {
            if (!bundle.IsEnabled)
                return BuiltInMessages.HelpBundleDisabled;
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
