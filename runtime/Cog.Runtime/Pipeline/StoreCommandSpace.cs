using System.Collections.Immutable;
using Cog.Language.Resolution;
using Cog.Language.Rules;

namespace Cog.Runtime.Pipeline;

/// <summary>The command space read from the store by <see cref="StorePipelineDirectory"/>: immutable, built once per
/// change.</summary>
sealed class StoreCommandSpace(
    CommandCatalog commands,
    AliasCatalog siteAliases,
    Dictionary<(string Bundle, string Command), ImmutableArray<RuleSyntax>> rules,
    Dictionary<(string Bundle, string Command), string> ruleProblems,
    Dictionary<(string Bundle, string Command), TimeSpan> timeouts,
    TimeSpan defaultTimeout,
    ImmutableArray<StoredObjectProblem> problems) : ICommandSpace
{
    /// <summary>The stored objects skipped when this snapshot was built.</summary>
    public ImmutableArray<StoredObjectProblem> Problems => problems;

    public CommandCatalog Commands => commands;

    public AliasCatalog SiteAliases => siteAliases;

    public ImmutableArray<RuleSyntax> RulesFor(string bundle, string command) =>
        rules.TryGetValue((bundle, command), out var found) ? found : [];

    public string? RuleProblemFor(string bundle, string command) => ruleProblems.GetValueOrDefault((bundle, command));

    public TimeSpan TimeoutFor(string bundle, string command) =>
        timeouts.TryGetValue((bundle, command), out var timeout) ? timeout : defaultTimeout;
}
