using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Resolution;

/// <summary>Turns a parsed pipeline into concrete bundle commands: joins sub-commands, expands user and site
/// aliases, and looks commands up in the installed bundles.</summary>
/// <remarks>Pure functions of their arguments: no I/O, no shared state, safe to call concurrently.</remarks>
public static class CommandResolver
{
    /// <summary>The most names that may be resolved inside each other: an alias chain may be four aliases deep
    /// ending in a command.</summary>
    public const int ExpansionLimit = 5;

    /// <summary>Resolves every stage of a pipeline against one snapshot of the bundles and aliases.</summary>
    /// <param name="pipeline">The pipeline as the user wrote it.</param>
    /// <param name="commands">The installed bundles.</param>
    /// <param name="userAliases">The invoking user's aliases.</param>
    /// <param name="siteAliases">The site aliases.</param>
    /// <returns>The resolved pipeline, or the first error, positioned at the command name of the user's stage
    /// that caused it (also when the error arose inside an alias).</returns>
    public static Result<ResolvedPipeline> Resolve(
        PipelineSyntax pipeline,
        CommandCatalog commands,
        AliasCatalog userAliases,
        AliasCatalog siteAliases) =>
        Resolve(pipeline, commands, userAliases, siteAliases, PipelineLimits.Default, CancellationToken.None);

    /// <summary>Resolves every stage of a pipeline against one snapshot of the bundles and aliases, within
    /// <paramref name="limits"/>: the stages and arguments that alias expansion produces count against the same
    /// limits as the ones the user wrote.</summary>
    /// <param name="pipeline">The pipeline as the user wrote it.</param>
    /// <param name="commands">The installed bundles.</param>
    /// <param name="userAliases">The invoking user's aliases.</param>
    /// <param name="siteAliases">The site aliases.</param>
    /// <param name="limits">The bounds on the resolved pipeline.</param>
    /// <param name="cancellationToken">Stops the resolution: checked for every stage.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Result<ResolvedPipeline> Resolve(
        PipelineSyntax pipeline,
        CommandCatalog commands,
        AliasCatalog userAliases,
        AliasCatalog siteAliases,
        PipelineLimits limits,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(userAliases);
        ArgumentNullException.ThrowIfNull(siteAliases);
        ArgumentNullException.ThrowIfNull(limits);
        return new PipelineResolution(commands, userAliases, siteAliases, limits, cancellationToken).Run(pipeline);
    }

    /// <summary>Says what an unqualified name refers to, for the <c>which</c> command: a user alias, else a site
    /// alias, else commands (aliases shadow commands, as in resolution).</summary>
    /// <param name="name">The name, without <c>bundle:</c>, <c>user:</c> or <c>site:</c>.</param>
    /// <param name="commands">The installed bundles.</param>
    /// <param name="userAliases">The invoking user's aliases.</param>
    /// <param name="siteAliases">The site aliases.</param>
    public static WhichResult Which(string name, CommandCatalog commands, AliasCatalog userAliases, AliasCatalog siteAliases)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(userAliases);
        ArgumentNullException.ThrowIfNull(siteAliases);
        if (userAliases.Find(name) is { } userAlias)
        {
            return new WhichResult(WhichKind.UserAlias, userAlias, []);
        }
        if (siteAliases.Find(name) is { } siteAlias)
        {
            return new WhichResult(WhichKind.SiteAlias, siteAlias, []);
        }
        var bundles = commands.BundlesContaining(name);
        return bundles.Count == 0 ? new WhichResult(WhichKind.NotFound, null, []) : new WhichResult(WhichKind.Command, null, bundles);
    }
}
