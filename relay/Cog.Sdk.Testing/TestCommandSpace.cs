using System.Collections.Immutable;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Manifest;
using Cog.Runtime.Pipeline;

namespace Cog.Sdk.Testing;

/// <summary>
/// The world of a test: the built-in <c>operable</c> bundle and the bundle under test, each with its manifest's
/// commands, options, rules and timeouts, as the server's directory builds them from installed manifests; the
/// permissions of the run's user; no aliases. Rule texts are parsed once here, so a rule that does not parse fails the
/// load with its position rather than refusing silently.
/// </summary>
/// <remarks>Immutable apart from the per-run user, which <see cref="ForUser"/> binds; thread-safe.</remarks>
sealed class TestCommandSpace : ICommandSpace
{
    /// <summary>The server's default for commands whose manifest gives no timeout.</summary>
    static readonly TimeSpan DefaultTimeout = new StorePipelineDirectoryOptions().DefaultCommandTimeout;

    readonly Dictionary<(string Bundle, string Command), ImmutableArray<RuleSyntax>> _rules = [];
    readonly Dictionary<(string Bundle, string Command), TimeSpan> _timeouts = [];

    public TestCommandSpace(IReadOnlyList<BundleManifest> manifests)
    {
        var installed = new List<InstalledBundle>(manifests.Count);
        foreach (var manifest in manifests)
        {
            installed.Add(new InstalledBundle(manifest.Name, manifest.Version, manifest.Commands.Select(c => new BundleCommand(c.Name, c.Options))));
            foreach (var command in manifest.Commands)
            {
                _rules[(manifest.Name, command.Name)] = [.. command.Rules.Select(Parse)];
                if (command.Timeout is { } timeout && timeout > TimeSpan.Zero)
                    _timeouts[(manifest.Name, command.Name)] = timeout;
            }
        }
        Commands = new CommandCatalog(installed);
    }

    public CommandCatalog Commands { get; }

    public AliasCatalog SiteAliases => AliasCatalog.Empty;

    public ImmutableArray<RuleSyntax> RulesFor(string bundle, string command) => _rules.TryGetValue((bundle, command), out var rules) ? rules : [];

    public string? RuleProblemFor(string bundle, string command) => null;

    public TimeSpan TimeoutFor(string bundle, string command) => _timeouts.TryGetValue((bundle, command), out var timeout) ? timeout : DefaultTimeout;

    /// <summary>The directory the pipeline engine reads for one run of <paramref name="user"/>.</summary>
    public IPipelineDirectory ForUser(TestUser user) => new Directory(this, user);

    /// <summary>Manifest rules are validated when the manifest loads; a failure here is a kit bug.</summary>
    static RuleSyntax Parse(string rule) =>
        RuleParser.Parse(rule).TryGetValue(out var syntax) ? syntax : throw new InvalidOperationException($"A validated manifest rule does not parse: {rule}");

    sealed class Directory(TestCommandSpace space, TestUser user) : IPipelineDirectory
    {
        public ValueTask<ICommandSpace> GetCommandSpaceAsync(CancellationToken cancellationToken) => ValueTask.FromResult<ICommandSpace>(space);

        public ValueTask<AliasCatalog> GetUserAliasesAsync(string userId, CancellationToken cancellationToken) => ValueTask.FromResult(AliasCatalog.Empty);

        public ValueTask<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(userId == user.Username ? user.Permissions : new HashSet<string>());
    }
}
