using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Cog.Language.Options;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Manifest;
using Cog.Runtime.Bundles;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;
using ResolutionCommand = Cog.Language.Resolution.BundleCommand;

namespace Cog.Runtime.Pipeline;

/// <summary>
/// The <see cref="IPipelineDirectory"/> of the server: the command space, aliases and permissions read from the store
/// and cached until a change is signalled through <see cref="IDirectoryChanges"/>; also where the
/// <see cref="RelayCommandExecutor"/> learns a bundle's relays and dynamic configuration.
/// </summary>
/// <remarks>
/// <para><b>Command space.</b> One immutable snapshot: every installed bundle with its enabled version's commands and
/// options and the command names of its other versions; the applicable rules of every command (bundle rules of the
/// enabled version and site rules), parsed once; the site aliases, parsed once; per-command timeouts from the enabled
/// manifests (else <see cref="StorePipelineDirectoryOptions.DefaultCommandTimeout"/>).</para>
/// <para><b>Stored objects that do not load.</b> Never an exception, never a reason not to start: a stored rule that no
/// longer parses (too deep, a regex construct rules no longer support, text written around the API) refuses every
/// invocation of its command with the reason (<see cref="ICommandSpace.RuleProblemFor"/>) rather than silently dropping
/// a restriction; an enabled version's stored manifest that does not validate is skipped (default timeouts apply). Each
/// is logged as an error when the snapshot is built and listed by <see cref="GetProblemsAsync"/> (readiness, web
/// console).</para>
/// <para><b>Caches.</b> Rebuilt on the first use after <see cref="CatalogChanged"/>; user aliases cached per user until
/// <see cref="UserAliasesChanged"/>; permission sets cached per user until <see cref="GrantsChanged"/> (any grant, any
/// user) or, as a safety net, <see cref="StorePipelineDirectoryOptions.PermissionCacheTtl"/>. A cached lookup does not
/// touch the store and does not allocate. Relay routes (<see cref="RelaysChanged"/>) and configuration layers
/// (<see cref="ConfigChanged"/>) likewise.</para>
/// <para>Thread-safe; one instance per server.</para>
/// </remarks>
public sealed class StorePipelineDirectory : IPipelineDirectory, IDirectoryChanges, IStoredObjectProblems
{
    readonly IStore _store;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly TimeSpan _defaultTimeout;
    readonly TimeSpan _permissionTtl;
    readonly CachedValue<StoreCommandSpace> _space;
    readonly CachedValue<Dictionary<string, BundleRoute>> _routes;
    readonly ConcurrentDictionary<string, AliasCatalog> _userAliases = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, PermissionEntry> _permissions = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DynamicConfig> _configs = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, ManifestResult> _manifests = new(StringComparer.Ordinal);
    long _aliasGeneration;
    long _grantGeneration;
    long _configGeneration;

    /// <summary>Creates the directory over <paramref name="store"/>.</summary>
    /// <param name="store">Where everything is read from.</param>
    /// <param name="options">Default timeout and permission TTL; validated here.</param>
    /// <param name="timeProvider">The clock of the permission TTL.</param>
    /// <param name="logger">Where stored objects that do not load are reported.</param>
    public StorePipelineDirectory(IStore store, StorePipelineDirectoryOptions options, TimeProvider timeProvider, ILogger<StorePipelineDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        (_store, _time, _logger) = (store, timeProvider, logger);
        _defaultTimeout = options.DefaultCommandTimeout;
        _permissionTtl = options.PermissionCacheTtl;
        _space = new CachedValue<StoreCommandSpace>(BuildSpaceAsync);
        _routes = new CachedValue<Dictionary<string, BundleRoute>>(BuildRoutesAsync);
    }

    /// <inheritdoc />
    public async ValueTask<ICommandSpace> GetCommandSpaceAsync(CancellationToken cancellationToken) =>
        await _space.GetAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>Builds the snapshot if needed.</remarks>
    public async ValueTask<ImmutableArray<StoredObjectProblem>> GetProblemsAsync(CancellationToken cancellationToken) =>
        (await _space.GetAsync(cancellationToken).ConfigureAwait(false)).Problems;

    /// <inheritdoc />
    public ValueTask<AliasCatalog> GetUserAliasesAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return _userAliases.TryGetValue(userId, out var cached) ? ValueTask.FromResult(cached) : LoadUserAliasesAsync(userId, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (_permissions.TryGetValue(userId, out var entry) && _time.GetElapsedTime(entry.LoadedAt) < _permissionTtl)
            return ValueTask.FromResult<IReadOnlySet<string>>(entry.Permissions);
        return LoadPermissionsAsync(userId, cancellationToken);
    }

    /// <inheritdoc />
    public void CatalogChanged()
    {
        _space.Invalidate();
        // Routes carry the enabled version and its digest.
        _routes.Invalidate();
    }

    /// <inheritdoc />
    public void UserAliasesChanged(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        Interlocked.Increment(ref _aliasGeneration);
        _userAliases.TryRemove(userId, out _);
    }

    /// <inheritdoc />
    public void GrantsChanged()
    {
        Interlocked.Increment(ref _grantGeneration);
        _permissions.Clear();
    }

    /// <inheritdoc />
    public void RelaysChanged() => _routes.Invalidate();

    /// <summary>Drops everything cached, every user's aliases included: changes may have been missed (another server's
    /// notices were lost while this one was not listening).</summary>
    public void DropAll()
    {
        CatalogChanged();
        GrantsChanged();
        ConfigChanged();
        Interlocked.Increment(ref _aliasGeneration);
        _userAliases.Clear();
    }

    /// <inheritdoc />
    public void ConfigChanged()
    {
        Interlocked.Increment(ref _configGeneration);
        _configs.Clear();
    }

    /// <summary>Where <paramref name="bundle"/>'s commands may run, or <see langword="null"/> when it is not installed.</summary>
    internal async ValueTask<BundleRoute?> GetRouteAsync(string bundle, CancellationToken cancellationToken)
    {
        var routes = await _routes.GetAsync(cancellationToken).ConfigureAwait(false);
        return routes.GetValueOrDefault(bundle);
    }

    /// <summary>The package digest of a version that is not (or no longer) the enabled one; reads the store.</summary>
    internal async Task<string?> FindDigestAsync(string bundle, string version, CancellationToken cancellationToken)
    {
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return null;
        var stored = await _store.Bundles.FindVersionAsync(found.Id, version, cancellationToken).ConfigureAwait(false);
        return stored?.PackageDigest;
    }

    /// <summary>The bundle's dynamic configuration layers.</summary>
    internal ValueTask<DynamicConfig> GetConfigAsync(string bundle, CancellationToken cancellationToken) =>
        _configs.TryGetValue(bundle, out var cached) ? ValueTask.FromResult(cached) : LoadConfigAsync(bundle, cancellationToken);

    async ValueTask<AliasCatalog> LoadUserAliasesAsync(string userId, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Read(ref _aliasGeneration);
        var aliases = await _store.Aliases.ListAsync(userId, cancellationToken).ConfigureAwait(false);
        var catalog = ToCatalog(aliases);
        Keep(_userAliases, userId, catalog, ref _aliasGeneration, generation);
        return catalog;
    }

    async ValueTask<IReadOnlySet<string>> LoadPermissionsAsync(string userId, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Read(ref _grantGeneration);
        var names = await _store.Roles.ListUserPermissionsAsync(userId, cancellationToken).ConfigureAwait(false);
        var entry = new PermissionEntry(names.ToFrozenSet(StringComparer.Ordinal), _time.GetTimestamp());
        Keep(_permissions, userId, entry, ref _grantGeneration, generation);
        return entry.Permissions;
    }

    async ValueTask<DynamicConfig> LoadConfigAsync(string bundle, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Read(ref _configGeneration);
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        var config = found is null
            ? DynamicConfig.Empty
            : DynamicConfig.From(await _store.ConfigLayers.ListAsync(found.Id, cancellationToken).ConfigureAwait(false));
        Keep(_configs, bundle, config, ref _configGeneration, generation);
        return config;
    }

    /// <summary>Caches a freshly loaded value unless an invalidation happened since the load started.</summary>
    static void Keep<T>(ConcurrentDictionary<string, T> cache, string key, T value, ref long generationField, long generation)
    {
        if (Interlocked.Read(ref generationField) != generation)
            return;
        cache[key] = value;
        // An invalidation between the check and the write must still win.
        if (Interlocked.Read(ref generationField) != generation)
            cache.TryRemove(new KeyValuePair<string, T>(key, value));
    }

    async Task<StoreCommandSpace> BuildSpaceAsync(CancellationToken cancellationToken)
    {
        var bundles = await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false);
        var enabled = await EnabledVersionsAsync(cancellationToken).ConfigureAwait(false);
        var installed = new List<InstalledBundle>(bundles.Count);
        var commandNames = new Dictionary<string, (string Bundle, string Command)>(StringComparer.Ordinal);
        var timeouts = new Dictionary<(string Bundle, string Command), TimeSpan>();
        var problems = ImmutableArray.CreateBuilder<StoredObjectProblem>();
        foreach (var bundle in bundles)
        {
            var all = await _store.Bundles.ListCommandsAsync(bundle.Id, cancellationToken).ConfigureAwait(false);
            var names = new List<string>(all.Count);
            foreach (var command in all)
            {
                commandNames[command.Id] = (bundle.Name, command.Name);
                names.Add(command.Name);
            }
            if (!enabled.TryGetValue(bundle.Id, out var version))
            {
                installed.Add(new InstalledBundle(bundle.Name, null, [], names));
                continue;
            }
            var versions = await _store.Bundles.ListCommandVersionsAsync(version.Id, cancellationToken).ConfigureAwait(false);
            var commands = new List<ResolutionCommand>(versions.Count);
            foreach (var command in versions)
                commands.Add(new ResolutionCommand(command.Name, ToDefinitions(command.Options)));
            var loaded = ManifestOf(version);
            if (loaded.Manifest is { } manifest)
            {
                foreach (var command in manifest.Commands)
                {
                    if (command.Timeout is { } timeout && timeout > TimeSpan.Zero)
                        timeouts[(bundle.Name, command.Name)] = timeout;
                }
            }
            else
            {
                problems.Add(new StoredObjectProblem("bundle", $"{bundle.Name} {version.Version}", $"its stored manifest does not validate: {loaded.Errors[0]}"));
            }
            installed.Add(new InstalledBundle(bundle.Name, version.Version, commands, names));
        }

        var rules = new Dictionary<(string Bundle, string Command), ImmutableArray<RuleSyntax>>();
        var building = new Dictionary<(string Bundle, string Command), ImmutableArray<RuleSyntax>.Builder>();
        var ruleProblems = new Dictionary<(string Bundle, string Command), string>();
        foreach (var rule in await _store.Rules.ListApplicableAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (!commandNames.TryGetValue(rule.CommandId, out var key))
                continue;
            var parsed = RuleParser.Parse(rule.Text);
            if (!parsed.TryGetValue(out var syntax))
            {
                var problem = new StoredObjectProblem("rule", rule.Id, $"does not parse: {RuleErrors.Format(parsed.Error!)}");
                problems.Add(problem);
                ruleProblems.TryAdd(key, $"stored rule {rule.Id} {problem.Error}");
                continue;
            }
            if (!building.TryGetValue(key, out var list))
                building[key] = list = ImmutableArray.CreateBuilder<RuleSyntax>();
            list.Add(syntax);
        }
        foreach (var (key, list) in building)
        {
            if (!ruleProblems.ContainsKey(key))
                rules[key] = list.ToImmutable();
        }

        foreach (var problem in problems)
            StorePipelineDirectoryLog.StoredObjectSkipped(_logger, problem.Kind, problem.Id, problem.Error);
        var siteAliases = ToCatalog(await _store.Aliases.ListAsync(null, cancellationToken).ConfigureAwait(false));
        return new StoreCommandSpace(new CommandCatalog(installed), siteAliases, rules, ruleProblems, timeouts, _defaultTimeout, problems.ToImmutable());
    }

    async Task<Dictionary<string, BundleRoute>> BuildRoutesAsync(CancellationToken cancellationToken)
    {
        var bundles = await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false);
        var enabled = await EnabledVersionsAsync(cancellationToken).ConfigureAwait(false);
        var relaysOf = new Dictionary<string, (HashSet<string> Enabled, bool Disabled)>(StringComparer.Ordinal);
        foreach (var group in await _store.Relays.ListGroupsAsync(cancellationToken).ConfigureAwait(false))
        {
            var assigned = await _store.Relays.ListGroupBundlesAsync(group.Id, cancellationToken).ConfigureAwait(false);
            if (assigned.Count == 0)
                continue;
            var members = await _store.Relays.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
            foreach (var bundleId in assigned)
            {
                if (!relaysOf.TryGetValue(bundleId, out var relays))
                    relays = (new HashSet<string>(StringComparer.Ordinal), false);
                foreach (var member in members)
                {
                    if (member.Enabled)
                        relays.Enabled.Add(member.Id);
                    else
                        relays.Disabled = true;
                }
                relaysOf[bundleId] = relays;
            }
        }

        var routes = new Dictionary<string, BundleRoute>(bundles.Count, StringComparer.Ordinal);
        foreach (var bundle in bundles)
        {
            var version = enabled.GetValueOrDefault(bundle.Id);
            routes[bundle.Name] = relaysOf.TryGetValue(bundle.Id, out var relays)
                ? new BundleRoute(bundle.Name, version?.Version, version?.PackageDigest, true, relays.Enabled.ToFrozenSet(StringComparer.Ordinal), relays.Disabled)
                : new BundleRoute(bundle.Name, version?.Version, version?.PackageDigest, false, FrozenSet<string>.Empty, false);
        }
        return routes;
    }

    async Task<Dictionary<string, BundleVersion>> EnabledVersionsAsync(CancellationToken cancellationToken)
    {
        var enabled = await _store.Bundles.ListEnabledVersionsAsync(cancellationToken).ConfigureAwait(false);
        var byBundle = new Dictionary<string, BundleVersion>(enabled.Count, StringComparer.Ordinal);
        foreach (var version in enabled)
            byBundle[version.BundleId] = version;
        return byBundle;
    }

    /// <summary>The stored manifest of a version, read back once (versions are immutable); it has no manifest but
    /// errors when it does not validate (then the default timeouts apply).</summary>
    ManifestResult ManifestOf(BundleVersion version) =>
        _manifests.GetOrAdd(version.Id, static (_, json) => ManifestLoader.Parse(json, "config.json"), version.ManifestJson);

    static OptionDefinition[] ToDefinitions(IReadOnlyList<CommandOption> options)
    {
        var definitions = new OptionDefinition[options.Count];
        for (var i = 0; i < definitions.Length; i++)
        {
            var option = options[i];
            definitions[i] = new OptionDefinition(option.Name, TypeOf(option.Type), option.Required, option.ShortFlag);
        }
        return definitions;
    }

    static OptionType TypeOf(string type) => type switch
    {
        "int" => OptionType.Int,
        "float" => OptionType.Float,
        "bool" => OptionType.Bool,
        "incr" => OptionType.Incr,
        "list" => OptionType.List,
        _ => OptionType.String,
    };

    /// <summary>Parses stored aliases; one whose text no longer parses is left out (it could not be expanded).</summary>
    static AliasCatalog ToCatalog(IReadOnlyList<Alias> aliases)
    {
        if (aliases.Count == 0)
            return AliasCatalog.Empty;
        var definitions = new List<AliasDefinition>(aliases.Count);
        foreach (var alias in aliases)
        {
            if (PipelineParser.Parse(alias.Pipeline).TryGetValue(out var pipeline) && !pipeline.Stages.IsDefaultOrEmpty)
                definitions.Add(new AliasDefinition(alias.Name, alias.Pipeline, pipeline));
        }
        return new AliasCatalog(definitions);
    }

    sealed record PermissionEntry(FrozenSet<string> Permissions, long LoadedAt);
}
