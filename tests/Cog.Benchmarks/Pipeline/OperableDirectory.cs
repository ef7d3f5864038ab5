using System.Collections.Immutable;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Manifest;
using Cog.Runtime.Pipeline;

namespace Cog.Benchmarks.Pipeline;

/// <summary>A command space holding only the operable bundle, from its manifest.</summary>
sealed class OperableDirectory(CommandCatalog commands, ImmutableDictionary<string, ImmutableArray<RuleSyntax>> rules)
    : IPipelineDirectory, ICommandSpace
{
    static readonly IReadOnlySet<string> NoPermissions = new HashSet<string>();

    public static OperableDirectory Load()
    {
        var folder = Path.Combine(Relays.CogBus.RepositoryRoot(), "bundles", "operable");
        var manifest = ManifestLoader.LoadDirectory(folder).Manifest
            ?? throw new InvalidOperationException("bundles/operable/config.yaml does not load.");
        var bundle = new InstalledBundle(manifest.Name, manifest.Version, manifest.Commands.Select(c => new BundleCommand(c.Name, c.Options)));
        var rules = manifest.Commands.ToImmutableDictionary(c => c.Name,
            c => c.Rules.Select(r => RuleParser.Parse(r).Value).ToImmutableArray());
        return new OperableDirectory(new CommandCatalog([bundle]), rules);
    }

    public CommandCatalog Commands => commands;

    public AliasCatalog SiteAliases => AliasCatalog.Empty;

    public ImmutableArray<RuleSyntax> RulesFor(string bundle, string command) => rules.TryGetValue(command, out var r) ? r : [];

    public string? RuleProblemFor(string bundle, string command) => null;

    public TimeSpan TimeoutFor(string bundle, string command) => TimeSpan.FromSeconds(60);

    public ValueTask<ICommandSpace> GetCommandSpaceAsync(CancellationToken cancellationToken) => ValueTask.FromResult<ICommandSpace>(this);

    public ValueTask<AliasCatalog> GetUserAliasesAsync(string userId, CancellationToken cancellationToken) => ValueTask.FromResult(AliasCatalog.Empty);

    public ValueTask<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken) => ValueTask.FromResult(NoPermissions);
}
