using System.Collections.Immutable;
using Cog.Language.Options;
using Cog.Language.Resolution;
using Cog.Language.Rules;

namespace Cog.Runtime.Pipeline;

/// <summary>
/// One consistent snapshot of what can be run: the installed bundles with their enabled versions, the site aliases and
/// every command's rules (bundle rules and operator rules). The pipeline engine takes one snapshot per pipeline, so a
/// bundle enabled or a rule changed half-way through never mixes two states in one pipeline.
/// </summary>
/// <remarks>Implementations are immutable and thread-safe.</remarks>
public interface ICommandSpace
{
    /// <summary>The installed bundles, for resolution.</summary>
    CommandCatalog Commands { get; }

    /// <summary>The site aliases.</summary>
    AliasCatalog SiteAliases { get; }

    /// <summary>The enabled rules of one command (those written for <c>bundle:command</c>); empty when it has none,
    /// and then it cannot run.</summary>
    ImmutableArray<RuleSyntax> RulesFor(string bundle, string command);

    /// <summary>Why a stored rule of the command could not be loaded (which rule, and its parse error), or
    /// <see langword="null"/>. A command with such a rule is refused (<see cref="RuleDecision.RuleNotLoaded"/>) rather
    /// than decided without the restriction the rule may have carried.</summary>
    string? RuleProblemFor(string bundle, string command);

    /// <summary>Decides one invocation of a command: refused when a stored rule could not be loaded
    /// (<see cref="RuleProblemFor"/>), else by its rules (<see cref="RuleEvaluator.Evaluate"/>).</summary>
    static RuleDecision Decide(ImmutableArray<RuleSyntax> rules, string? ruleProblem, string invocationText, IReadOnlySet<string> permissions, CommandInput input) =>
        ruleProblem is not null ? RuleDecision.RuleNotLoaded(invocationText, ruleProblem) : RuleEvaluator.Evaluate(invocationText, rules, permissions, input);

    /// <summary>How long one invocation of the command may run (its manifest's <c>timeout</c>, else the default).</summary>
    TimeSpan TimeoutFor(string bundle, string command);
}
