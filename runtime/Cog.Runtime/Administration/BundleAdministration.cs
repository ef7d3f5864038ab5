using Cog.Manifest;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Bundle administration for the REST API and the chat commands (<c>bundle-*</c>): install, versions,
/// enable, disable, uninstall, info. The work is the <see cref="BundleRegistry"/>'s (which
/// tells <c>IDirectoryChanges</c> and publishes relay assignments); this class adds the administrator's rules and
/// records every change with <see cref="AdminAudit"/>.</summary>
/// <remarks>
/// <para>Bundles are named by name or id, versions by version string or id. Refusals are
/// <see cref="RegistryError"/> values with the message for the user; nothing is changed then.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class BundleAdministration
{
    /// <summary>Bundle names Cog keeps for itself (Cog 1.0: <c>operable</c>, <c>site</c>, <c>user</c> — it would break
    /// alias resolution — and <c>cog</c>).</summary>
    public static IReadOnlyList<string> ReservedNames { get; } = [Bundle.BuiltInName, Permission.SiteNamespace, "user", "cog"];

    readonly IStore _store;
    readonly BundleRegistry _registry;
    readonly AdminAudit _audit;

    /// <summary>Creates the service.</summary>
    public BundleAdministration(IStore store, BundleRegistry registry, AdminAudit audit)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(audit);
        (_store, _registry, _audit) = (store, registry, audit);
    }

    /// <summary>Every bundle with its versions and relay groups, by name.</summary>
    public async Task<IReadOnlyList<BundleDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var groupsByBundle = await GroupsByBundleAsync(cancellationToken).ConfigureAwait(false);
        var bundles = await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<BundleDetails>(bundles.Count);
        foreach (var bundle in bundles)
        {
            var versions = await _store.Bundles.ListVersionsAsync(bundle.Id, cancellationToken).ConfigureAwait(false);
            list.Add(new BundleDetails(bundle, versions, groupsByBundle.GetValueOrDefault(bundle.Id) ?? []));
        }
        return list;
    }

    /// <summary>One bundle (by name or id) with its versions and relay groups. NotFound.</summary>
    public async Task<RegistryResult<BundleDetails>> InfoAsync(string bundle, CancellationToken cancellationToken)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        return await DetailsAsync(found.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bundle's versions, in installation order. NotFound.</summary>
    public async Task<RegistryResult<IReadOnlyList<BundleVersion>>> VersionsAsync(string bundle, CancellationToken cancellationToken)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        return RegistryResultOf(await _store.Bundles.ListVersionsAsync(found.Value!.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One version (by version string or id) with its commands, their applicable rules and the bundle's
    /// permissions; without <paramref name="version"/>, the enabled version, else the highest. NotFound.</summary>
    public async Task<RegistryResult<BundleVersionDetails>> VersionInfoAsync(string bundle, string? version, CancellationToken cancellationToken)
    {
        var found = await FindVersionAsync(bundle, version, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var (foundBundle, foundVersion) = found.Value;
        var commands = new List<CommandDetails>();
        foreach (var command in await _store.Bundles.ListCommandVersionsAsync(foundVersion.Id, cancellationToken).ConfigureAwait(false))
        {
            var rules = new List<Authorization.RuleRecord>();
            foreach (var rule in await _store.Rules.ListForCommandAsync(command.CommandId, cancellationToken).ConfigureAwait(false))
            {
                if (rule.Enabled && (rule.Site || rule.BundleVersionIds.Contains(foundVersion.Id)))
                    rules.Add(rule);
            }
            commands.Add(new CommandDetails(command.CommandId, command.Name, command.Description, command.Options, rules));
        }
        var permissions = await _store.Permissions.ListAsync(foundBundle.Name, cancellationToken).ConfigureAwait(false);
        return new BundleVersionDetails(foundBundle, foundVersion, commands, permissions);
    }

    /// <summary>Installs an upload: a package archive or a bare manifest (YAML or JSON), as
    /// <see cref="BundleRegistry.InstallAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>.</summary>
    /// <param name="actor">Who installs.</param>
    /// <param name="upload">The file's bytes.</param>
    /// <param name="force">Replace the version when it is installed already (Cog 1.0's <c>--force</c>: the old
    /// version is deleted; when it was enabled, the new one is enabled in its place).</param>
    /// <param name="enable">Also enable the new version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version; Invalid (manifest errors), Protected (a reserved name), Duplicate (the version exists
    /// and <paramref name="force"/> is not set: HTTP 409).</returns>
    public async Task<RegistryResult<BundleVersion>> InstallAsync(AdminActor actor, ReadOnlyMemory<byte> upload, bool force, bool enable,
        CancellationToken cancellationToken)
    {
        var replaced = false;
        var installed = await _registry.InstallAsync(upload, enable, async (manifest, ct) =>
        {
            if (ReservedNames.Contains(manifest.Name, StringComparer.Ordinal))
                return new RegistryError(RegistryErrorKind.Protected, AdminMessages.ReservedBundleName(manifest.Name));
            if (!force)
                return false;
            var replacing = await ReplaceAsync(manifest, ct).ConfigureAwait(false);
            if (!replacing.IsSuccess)
                return replacing.Error;
            replaced = replacing.Value.Replaced;
            return replacing.Value.WasEnabled;
        }, cancellationToken).ConfigureAwait(false);
        if (!installed.IsSuccess)
            return installed;
        var version = installed.Value!;
        var bundle = await _store.Bundles.GetAsync(version.BundleId, cancellationToken).ConfigureAwait(false);
        var name = bundle?.Name ?? version.BundleId;
        await RecordAsync(actor, AdminAuditKinds.BundleInstalled, name, version.Version, new Dictionary<string, string?>
        {
            ["bundle"] = name,
            ["version"] = version.Version,
            ["digest"] = version.PackageDigest,
            ["enabled"] = version.Enabled ? "true" : "false",
            ["replaced"] = replaced ? "true" : "false",
        }, cancellationToken).ConfigureAwait(false);
        return version;
    }

    /// <summary>Enables a version (by version string or id; without one, the highest installed version) and disables
    /// the bundle's others. NotFound; Protected for the built-in bundle.</summary>
    public async Task<RegistryResult<BundleVersion>> EnableAsync(AdminActor actor, string bundle, string? version, CancellationToken cancellationToken)
    {
        var found = await FindVersionAsync(bundle, version, cancellationToken, preferEnabled: false).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var (foundBundle, foundVersion) = found.Value;
        if (foundBundle.Name == Bundle.BuiltInName)
            return new RegistryError(RegistryErrorKind.Protected, StoreErrors.BundleProtected(foundBundle.Name));
        var enabled = await _registry.EnableAsync(foundBundle.Name, foundVersion.Version, cancellationToken).ConfigureAwait(false);
        if (!enabled.IsSuccess)
            return enabled;
        await RecordAsync(actor, AdminAuditKinds.BundleEnabled, foundBundle.Name, foundVersion.Version,
            new Dictionary<string, string?> { ["bundle"] = foundBundle.Name, ["version"] = foundVersion.Version }, cancellationToken).ConfigureAwait(false);
        return enabled;
    }

    /// <summary>Disables the bundle's enabled version. The value is the version that was disabled, or
    /// <see langword="null"/> when none was enabled (nothing changed, nothing recorded; chat says
    /// <see cref="AdminMessages.BundleAlreadyDisabled"/>). NotFound; Protected for the built-in bundle.</summary>
    public async Task<RegistryResult<BundleVersion?>> DisableAsync(AdminActor actor, string bundle, CancellationToken cancellationToken)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var foundBundle = found.Value!;
        if (foundBundle.Name == Bundle.BuiltInName)
            return new RegistryError(RegistryErrorKind.Protected, StoreErrors.BundleProtected(foundBundle.Name));
        var versions = await _store.Bundles.ListVersionsAsync(foundBundle.Id, cancellationToken).ConfigureAwait(false);
        var enabled = versions.FirstOrDefault(static v => v.Enabled);
        if (enabled is null)
            return RegistryResultOf<BundleVersion?>(null);
        var disabled = await _registry.DisableAsync(foundBundle.Name, cancellationToken).ConfigureAwait(false);
        if (!disabled.IsSuccess)
            return disabled.Error;
        await RecordAsync(actor, AdminAuditKinds.BundleDisabled, foundBundle.Name, enabled.Version,
            new Dictionary<string, string?> { ["bundle"] = foundBundle.Name, ["version"] = enabled.Version }, cancellationToken).ConfigureAwait(false);
        return RegistryResultOf<BundleVersion?>(enabled with { Enabled = false });
    }

    /// <summary>Deletes one disabled version; deleting a bundle's last version deletes the bundle (Cog 1.0). InUse
    /// while the version is enabled; NotFound; Protected for the built-in bundle.</summary>
    /// <returns>The deleted versions (the one asked for).</returns>
    public async Task<RegistryResult<IReadOnlyList<BundleVersion>>> UninstallVersionAsync(AdminActor actor, string bundle, string version,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var found = await FindVersionAsync(bundle, version, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var (foundBundle, foundVersion) = found.Value;
        if (foundBundle.Name == Bundle.BuiltInName)
            return new RegistryError(RegistryErrorKind.Protected, StoreErrors.BundleProtected(foundBundle.Name));
        if (foundVersion.Enabled)
            return new RegistryError(RegistryErrorKind.InUse, StoreErrors.VersionEnabled(foundBundle.Name, foundVersion.Version));
        var versions = await _store.Bundles.ListVersionsAsync(foundBundle.Id, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 1)
            return await UninstallBundleAsync(actor, foundBundle, versions, cancellationToken).ConfigureAwait(false);
        var deleted = await _registry.UninstallAsync(foundBundle.Name, foundVersion.Version, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return deleted.Error;
        await RecordAsync(actor, AdminAuditKinds.BundleVersionUninstalled, foundBundle.Name, foundVersion.Version,
            new Dictionary<string, string?> { ["bundle"] = foundBundle.Name, ["version"] = foundVersion.Version }, cancellationToken).ConfigureAwait(false);
        return RegistryResultOf<IReadOnlyList<BundleVersion>>([foundVersion]);
    }

    /// <summary>Deletes every disabled version (<c>cogctl bundle uninstall --clean</c>); when no version is enabled
    /// that is the whole bundle. NotFound; Protected.</summary>
    /// <returns>The deleted versions (none when only the enabled version is installed).</returns>
    public async Task<RegistryResult<IReadOnlyList<BundleVersion>>> UninstallDisabledVersionsAsync(AdminActor actor, string bundle,
        CancellationToken cancellationToken)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var foundBundle = found.Value!;
        if (foundBundle.Name == Bundle.BuiltInName)
            return new RegistryError(RegistryErrorKind.Protected, StoreErrors.BundleProtected(foundBundle.Name));
        var versions = await _store.Bundles.ListVersionsAsync(foundBundle.Id, cancellationToken).ConfigureAwait(false);
        if (!versions.Any(static v => v.Enabled))
            return await UninstallBundleAsync(actor, foundBundle, versions, cancellationToken).ConfigureAwait(false);
        var deleted = new List<BundleVersion>();
        foreach (var version in versions)
        {
            if (version.Enabled)
                continue;
            var result = await UninstallVersionAsync(actor, foundBundle.Id, version.Id, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
                return result.Error;
            deleted.AddRange(result.Value!);
        }
        return RegistryResultOf<IReadOnlyList<BundleVersion>>(deleted);
    }

    /// <summary>Deletes the whole bundle with its permissions, every rule of its commands (site rules included), its
    /// configuration layers and relay-group assignments. InUse while a version is enabled;
    /// Protected for the built-in bundle; NotFound.</summary>
    /// <returns>The deleted versions.</returns>
    public async Task<RegistryResult<IReadOnlyList<BundleVersion>>> UninstallBundleAsync(AdminActor actor, string bundle, CancellationToken cancellationToken)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var versions = await _store.Bundles.ListVersionsAsync(found.Value!.Id, cancellationToken).ConfigureAwait(false);
        return await UninstallBundleAsync(actor, found.Value!, versions, cancellationToken).ConfigureAwait(false);
    }

    async Task<RegistryResult<IReadOnlyList<BundleVersion>>> UninstallBundleAsync(AdminActor actor, Bundle bundle, IReadOnlyList<BundleVersion> versions,
        CancellationToken cancellationToken)
    {
        var deleted = await _registry.UninstallAsync(bundle.Name, null, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return deleted.Error;
        await RecordAsync(actor, AdminAuditKinds.BundleUninstalled, bundle.Name, null, new Dictionary<string, string?>
        {
            ["bundle"] = bundle.Name,
            ["versions"] = string.Join(", ", versions.Select(static v => v.Version)),
        }, cancellationToken).ConfigureAwait(false);
        return RegistryResultOf(versions);
    }

    /// <summary>A bundle by name, else by id. NotFound.</summary>
    internal async Task<RegistryResult<Bundle>> FindBundleAsync(string bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false)
            ?? await _store.Bundles.GetAsync(bundle, cancellationToken).ConfigureAwait(false);
        return found is null ? new RegistryError(RegistryErrorKind.NotFound, BundleRegistryErrors.BundleNotFound(bundle)) : found;
    }

    /// <summary>A version by version string, else by id; without one, the enabled version (when
    /// <paramref name="preferEnabled"/>) or the highest.</summary>
    async Task<RegistryResult<(Bundle Bundle, BundleVersion Version)>> FindVersionAsync(string bundle, string? version, CancellationToken cancellationToken,
        bool preferEnabled = true)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var foundBundle = found.Value!;
        BundleVersion? foundVersion;
        if (version is null)
        {
            var versions = await _store.Bundles.ListVersionsAsync(foundBundle.Id, cancellationToken).ConfigureAwait(false);
            foundVersion = (preferEnabled ? versions.FirstOrDefault(static v => v.Enabled) : null)
                ?? versions.OrderByDescending(static v => v.Version, VersionOrder.Instance).FirstOrDefault();
            if (foundVersion is null)
                return new RegistryError(RegistryErrorKind.NotFound, BundleRegistryErrors.BundleNotFound(bundle));
        }
        else
        {
            foundVersion = await _store.Bundles.FindVersionAsync(foundBundle.Id, version, cancellationToken).ConfigureAwait(false);
            if (foundVersion is null && await _store.Bundles.GetVersionAsync(version, cancellationToken).ConfigureAwait(false) is { } byId
                && byId.BundleId == foundBundle.Id)
                foundVersion = byId;
            if (foundVersion is null)
                return new RegistryError(RegistryErrorKind.NotFound, BundleRegistryErrors.VersionNotFound(foundBundle.Name, version));
        }
        return (foundBundle, foundVersion);
    }

    /// <summary>For <c>force</c>: deletes the installed version of the manifest's bundle and version, if any (after
    /// disabling it when it is enabled), and says whether it was enabled.</summary>
    async Task<RegistryResult<(bool Replaced, bool WasEnabled)>> ReplaceAsync(BundleManifest manifest, CancellationToken cancellationToken)
    {
        var bundle = await _store.Bundles.FindByNameAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        if (bundle is null)
            return (false, false);
        var existing = await _store.Bundles.FindVersionAsync(bundle.Id, manifest.Version, cancellationToken).ConfigureAwait(false);
        if (existing is null)
            return (false, false);
        if (existing.Enabled)
        {
            var disabled = await _store.Bundles.DisableAsync(bundle.Id, cancellationToken).ConfigureAwait(false);
            if (!disabled.IsSuccess)
                return RegistryError.FromStore(disabled.Error);
        }
        var deleted = await _store.Bundles.DeleteVersionAsync(existing.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return RegistryError.FromStore(deleted.Error);
        return (true, existing.Enabled);
    }

    async Task<BundleDetails> DetailsAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        var versions = await _store.Bundles.ListVersionsAsync(bundle.Id, cancellationToken).ConfigureAwait(false);
        var groupsByBundle = await GroupsByBundleAsync(cancellationToken).ConfigureAwait(false);
        return new BundleDetails(bundle, versions, groupsByBundle.GetValueOrDefault(bundle.Id) ?? []);
    }

    async Task<Dictionary<string, List<RelayGroup>>> GroupsByBundleAsync(CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, List<RelayGroup>>(StringComparer.Ordinal);
        foreach (var group in await _store.Relays.ListGroupsAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var bundleId in await _store.Relays.ListGroupBundlesAsync(group.Id, cancellationToken).ConfigureAwait(false))
            {
                if (!map.TryGetValue(bundleId, out var groups))
                    map[bundleId] = groups = [];
                groups.Add(group);
            }
        }
        return map;
    }

    Task RecordAsync(AdminActor actor, string kind, string bundle, string? version, Dictionary<string, string?> details, CancellationToken cancellationToken) =>
        _audit.RecordAsync(actor.Username, actor.Origin, kind, version is null ? $"bundle:{bundle}" : $"bundle:{bundle} {version}", details, cancellationToken);

    static RegistryResult<T> RegistryResultOf<T>(T value) => value;
}
