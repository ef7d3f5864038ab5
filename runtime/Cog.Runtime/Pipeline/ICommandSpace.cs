using System.Collections.Immutable;
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

    /// <summary>How long one invocation of the command may run (its manifest's <c>timeout</c>, else the default).</summary>
    TimeSpan TimeoutFor(string bundle, string command);
}
