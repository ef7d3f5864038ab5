using System.Collections.Immutable;
using System.Text;
using Cog.Language.Options;
using Cog.Language.Rules;
using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Bundles;

/// <summary>
/// Installs, enables, disables and uninstalls bundles, assigns them to relay groups and puts relays in
/// groups, and after every change that affects what a relay serves publishes that relay's full
/// <see cref="Cog.Contracts.Relays.BundleAssignments"/> (docs/protocol.md §6.2).
/// </summary>
/// <remarks>
/// <para><b>Install.</b> A package (a ZIP built by <c>cogctl bundle package</c>) is digested, unpacked into a scratch
/// folder with <see cref="BundlePackage.Extract"/> (the relay's own checks: safe entries, limits, the manifest validated
/// with the bundle folder, so v6 scripts and assemblies must exist) and deleted again. A bare manifest (version 4 or 5:
/// executables installed on the relay hosts) is validated with <see cref="ManifestLoader.Parse"/> and stored as the
/// version's package itself, in the <c>manifest</c> format relays download. Every version is kept; a new one is disabled
/// unless installed with <c>enable</c>. Bad input is a <see cref="RegistryError"/> with every manifest error and its
/// position, never an exception.</para>
/// <para><b>Assignments.</b> A relay serves the enabled version of every bundle assigned to any of its relay groups
/// (never the built-in <c>operable</c>). Revisions are derived from the clock and kept increasing per relay: each
/// publication's revision is <c>max(previous + 1, now in Unix milliseconds)</c>, so they never go backwards across
/// restarts unless the clock does. Publications are serialized; one that the transport refuses is logged and retried
/// with the next publication (and <see cref="PublishAllAsync"/> at start-up republishes everything).</para>
/// <para>After each change the registry tells the cached directory (<see cref="IDirectoryChanges"/>) what changed.
/// Thread-safe.</para>
/// </remarks>
public sealed partial class BundleRegistry
{
    readonly IStore _store;
    readonly IRelayTransport _transport;
    readonly IDirectoryChanges _changes;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly string _serverUrl;
    readonly string _scratch;
    readonly PackageLimits _limits;
    readonly BundleChecker? _checker;

    /// <summary>Creates the registry.</summary>
    /// <param name="store">Where bundles, relays and groups live.</param>
    /// <param name="transport">Publishes assignments to relays.</param>
    /// <param name="changes">Told after every change (usually the <see cref="StorePipelineDirectory"/>).</param>
    /// <param name="options">Validated here: <see cref="BundleRegistryOptions.ServerUrl"/> is required.</param>
    /// <param name="timeProvider">Installation times and assignment revisions.</param>
    /// <param name="logger">Failed publications.</param>
    public BundleRegistry(IStore store, IRelayTransport transport, IDirectoryChanges changes, BundleRegistryOptions options,
        TimeProvider timeProvider, ILogger<BundleRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        (_store, _transport, _changes, _time, _logger) = (store, transport, changes, timeProvider, logger);
        _serverUrl = options.ServerUrl!.AbsoluteUri.TrimEnd('/');
        _scratch = options.ScratchDirectory;
        _limits = options.PackageLimits;
        _checker = options.SkipChecks ? null : new BundleChecker(options.CheckerExecutable, options.CheckTimeout, options.CheckMemoryLimitBytes);
    }

    /// <summary>Installs an uploaded bundle: a package (ZIP archive) or a bare version 4/5 manifest (YAML or JSON text),
    /// told apart by the ZIP signature.</summary>
    /// <param name="upload">The file's bytes.</param>
    /// <param name="enable">Also enable the new version (disabling the bundle's other versions), as <c>--enable</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version; Invalid (with the manifest's errors), Duplicate (the version exists).</returns>
    public Task<RegistryResult<BundleVersion>> InstallAsync(ReadOnlyMemory<byte> upload, bool enable, CancellationToken cancellationToken) =>
        InstallAsync(upload, enable, null, cancellationToken);

    /// <summary><see cref="InstallAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/> with a check of the validated
    /// manifest before anything is stored (the administration's reserved names and <c>force</c>): it refuses with an
    /// error, or answers whether the new version must be enabled.</summary>
    internal async Task<RegistryResult<BundleVersion>> InstallAsync(ReadOnlyMemory<byte> upload, bool enable, BeforeInstall? beforeInstall,
        CancellationToken cancellationToken)
    {
        if (upload.IsEmpty)
            return Invalid(BundleRegistryErrors.EmptyUpload);
        if (StoredPackages.FormatOf(upload.Span) == Cog.Contracts.Relays.PackageFormat.Manifest)
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(upload.Span);
            }
            catch (DecoderFallbackException)
            {
                return Invalid(BundleRegistryErrors.NotArchiveOrManifest);
            }
            return await InstallManifestAsync(text, enable, beforeInstall, cancellationToken).ConfigureAwait(false);
        }

        var package = upload.ToArray();
        var digest = BundlePackage.Digest(new MemoryStream(package, writable: false));
        var (manifest, manifestText, checkWarnings, error) = await UnpackAsync(package, digest, check: true, cancellationToken).ConfigureAwait(false);
        if (error is not null)
            return error;
        return await InstallAsync(manifest!, manifestText!, digest, package, checkWarnings, enable, beforeInstall, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Installs a bare manifest (<c>cog_bundle_version</c> 4 or 5; its executables are installed on the relay
    /// hosts). The manifest text becomes the version's package, in the <c>manifest</c> format.</summary>
    /// <param name="manifestText">The manifest's YAML or JSON text.</param>
    /// <param name="enable">Also enable the new version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version; Invalid (with the manifest's errors, or a version 6 manifest), Duplicate.</returns>
    public Task<RegistryResult<BundleVersion>> InstallManifestAsync(string manifestText, bool enable, CancellationToken cancellationToken) =>
        InstallManifestAsync(manifestText, enable, null, cancellationToken);

    internal async Task<RegistryResult<BundleVersion>> InstallManifestAsync(string manifestText, bool enable, BeforeInstall? beforeInstall,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestText);
        if (string.IsNullOrWhiteSpace(manifestText))
            return Invalid(BundleRegistryErrors.EmptyUpload);
        var loaded = ManifestLoader.Parse(manifestText, ManifestLoader.FileNames[0]);
        if (!loaded.Succeeded)
            return new RegistryError(RegistryErrorKind.Invalid, PackageErrors.InvalidManifest, loaded.Errors);
        if (loaded.Manifest.ManifestVersion >= 6)
            return Invalid(PackageErrors.BareManifestVersion(loaded.Manifest.ManifestVersion));
        var (refused, checkWarnings) = await CheckManifestAsync(manifestText, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
            return refused;
        var package = Encoding.UTF8.GetBytes(manifestText);
        var digest = BundlePackage.Digest(new MemoryStream(package, writable: false));
        return await InstallAsync(loaded.Manifest, manifestText, digest, package, checkWarnings, enable, beforeInstall, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Installs and enables the built-in bundle's manifest (version 6 with <c>builtin</c> commands, which only
    /// the server itself installs: the REST API never reaches this). The manifest text is stored as the version's
    /// package, as for bare manifests; relays are never assigned the built-in bundle.</summary>
    /// <returns>The new version; Invalid (not the built-in bundle, or errors), Duplicate (the version exists).</returns>
    public async Task<RegistryResult<BundleVersion>> InstallBuiltInAsync(string manifestText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestText);
        var loaded = ManifestLoader.Parse(manifestText, ManifestLoader.FileNames[0]);
        if (!loaded.Succeeded)
            return new RegistryError(RegistryErrorKind.Invalid, PackageErrors.InvalidManifest, loaded.Errors);
        if (loaded.Manifest.Name != Bundle.BuiltInName)
            return Invalid(BundleRegistryErrors.NotBuiltIn(loaded.Manifest.Name));
        var package = Encoding.UTF8.GetBytes(manifestText);
        var digest = BundlePackage.Digest(new MemoryStream(package, writable: false));
        var manifest = loaded.Manifest with { Version = BuiltInVersion(loaded.Manifest.Version, digest) };
        return await InstallAsync(manifest, manifestText, digest, package, [], enable: true, beforeInstall: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version the built-in bundle is stored under: the manifest's version with the manifest's digest as
    /// semantic-version build metadata (<c>1.0.0+3f2a9c1b7d04</c>). The server's own manifest changes whenever its
    /// commands do, often without a version bump; this way a server that brings a changed manifest installs it as a new
    /// version and enables it, instead of finding "its" version already installed with the old commands.</summary>
    public static string BuiltInVersion(string manifestVersion, string digest)
    {
        ArgumentNullException.ThrowIfNull(manifestVersion);
        ArgumentNullException.ThrowIfNull(digest);
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : digest;
        return $"{manifestVersion}+{hex[..12]}";
    }

    /// <summary>Enables <paramref name="version"/> of <paramref name="bundle"/> and disables its other versions; relays
    /// serving the bundle get their new assignments. NotFound.</summary>
    public async Task<RegistryResult<BundleVersion>> EnableAsync(string bundle, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(version);
        var found = await FindVersionAsync(bundle, version, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var enabled = await _store.Bundles.EnableVersionAsync(found.Value!.Id, cancellationToken).ConfigureAwait(false);
        if (!enabled.IsSuccess)
            return RegistryError.FromStore(enabled.Error);
        _changes.CatalogChanged();
        await PublishForBundleAsync(enabled.Value!.BundleId, cancellationToken).ConfigureAwait(false);
        return enabled.Value;
    }

    /// <summary>Disables the bundle's enabled version (no-op when none is); relays serving it get their new
    /// assignments. NotFound; Protected for the built-in bundle.</summary>
    public async Task<RegistryResult<Done>> DisableAsync(string bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return NotFound(BundleRegistryErrors.BundleNotFound(bundle));
        var disabled = await _store.Bundles.DisableAsync(found.Id, cancellationToken).ConfigureAwait(false);
        if (!disabled.IsSuccess)
            return RegistryError.FromStore(disabled.Error);
        _changes.CatalogChanged();
        await PublishForBundleAsync(found.Id, cancellationToken).ConfigureAwait(false);
        return Done.Value;
    }

    /// <summary>Deletes one version (<paramref name="version"/> given; InUse while it is enabled) or the whole bundle
    /// with its permissions and every rule of its commands (InUse while a version is enabled; Protected for the
    /// built-in bundle), as in Cog 1.0. NotFound.</summary>
    public async Task<RegistryResult<Done>> UninstallAsync(string bundle, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        StoreResult<Done> deleted;
        if (version is null)
        {
            var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
            if (found is null)
                return NotFound(BundleRegistryErrors.BundleNotFound(bundle));
            deleted = await _store.Bundles.DeleteAsync(found.Id, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var found = await FindVersionAsync(bundle, version, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
                return found.Error;
            deleted = await _store.Bundles.DeleteVersionAsync(found.Value!.Id, cancellationToken).ConfigureAwait(false);
        }
        if (!deleted.IsSuccess)
            return RegistryError.FromStore(deleted.Error);
        // Only disabled versions can be deleted, so no relay's assignments change; the bundle's group assignments may.
        _changes.CatalogChanged();
        _changes.RelaysChanged();
        return Done.Value;
    }

    /// <summary>Every installed bundle with its versions, by name.</summary>
    public async Task<IReadOnlyList<InstalledBundleVersions>> ListAsync(CancellationToken cancellationToken)
    {
        var bundles = await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<InstalledBundleVersions>(bundles.Count);
        foreach (var bundle in bundles)
            list.Add(new InstalledBundleVersions(bundle, await _store.Bundles.ListVersionsAsync(bundle.Id, cancellationToken).ConfigureAwait(false)));
        return list;
    }

    /// <summary>One bundle with its versions. NotFound.</summary>
    public async Task<RegistryResult<InstalledBundleVersions>> GetAsync(string bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return NotFound(BundleRegistryErrors.BundleNotFound(bundle));
        return new InstalledBundleVersions(found, await _store.Bundles.ListVersionsAsync(found.Id, cancellationToken).ConfigureAwait(false));
    }

    async Task<RegistryResult<BundleVersion>> InstallAsync(BundleManifest manifest, string manifestText, string digest, byte[] package,
        IReadOnlyList<ManifestError> checkWarnings, bool enable, BeforeInstall? beforeInstall, CancellationToken cancellationToken)
    {
        if (beforeInstall is not null)
        {
            var checkedInstall = await beforeInstall(manifest, cancellationToken).ConfigureAwait(false);
            if (!checkedInstall.IsSuccess)
                return checkedInstall.Error;
            enable |= checkedInstall.Value;
        }
        var install = ToInstall(manifest, manifestText, digest, package, _time.GetUtcNow(), checkWarnings);
        BundleVersion version;
        await using (var transaction = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            var installed = await transaction.Bundles.InstallAsync(install, cancellationToken).ConfigureAwait(false);
            if (!installed.IsSuccess)
                return RegistryError.FromStore(installed.Error);
            version = installed.Value!;
            if (enable)
            {
                var enabled = await transaction.Bundles.EnableVersionAsync(version.Id, cancellationToken).ConfigureAwait(false);
                if (!enabled.IsSuccess)
                    return RegistryError.FromStore(enabled.Error);
                version = enabled.Value!;
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        _changes.CatalogChanged();
        if (enable)
            await PublishForBundleAsync(version.BundleId, cancellationToken).ConfigureAwait(false);
        return version;
    }

    /// <summary>What the store keeps of a validated manifest.</summary>
    /// <param name="checkWarnings">The warnings of the checks before run time (<see cref="BundleChecker"/>), kept with the
    /// manifest's own.</param>
    internal static BundleInstall ToInstall(BundleManifest manifest, string manifestText, string digest, byte[] package, DateTimeOffset installedAt,
        IReadOnlyList<ManifestError>? checkWarnings = null)
    {
        var permissions = new List<string>(manifest.Permissions.Length);
        foreach (var permission in manifest.Permissions)
            permissions.Add(permission[(permission.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var commands = new List<CommandDefinition>(manifest.Commands.Length);
        var rules = new List<RuleDefinition>();
        foreach (var command in manifest.Commands)
        {
            var options = new List<CommandOption>(command.Options.Length);
            foreach (var option in command.Options)
            {
                options.Add(new CommandOption(option.Name, TypeName(option.Type), option.Required, option.ShortFlag,
                    command.OptionDescriptions.GetValueOrDefault(option.Name)));
            }
            commands.Add(new CommandDefinition(command.Name, command.Description, options));
            foreach (var rule in command.Rules)
            {
                // Validated manifests' rules parse; the canonical text is the store's de-duplication key.
                var parsed = RuleParser.Parse(rule);
                rules.Add(new RuleDefinition(command.Name, parsed.TryGetValue(out var syntax) ? RulePrinter.Print(syntax) : rule));
            }
        }
        var json = ManifestJson.FromText(manifestText) ?? "{}";
        // The text was validated already; reading it once more gives its warnings, whichever way it arrived. Stored as
        // `validate` shows them, with the file relative to the bundle: config.yaml:22:5: Duplicate key ...
        var warnings = ManifestLoader.Parse(manifestText, ManifestLoader.FileNames[0]).Warnings
            .Concat(checkWarnings ?? [])
            .Select(w => w.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new BundleInstall(manifest.Name, manifest.Version, json, manifest.Description, digest, package, permissions, commands, rules,
            installedAt, warnings);
    }

    /// <summary>The manifest type name of an option type (<c>int</c>, <c>list</c>...).</summary>
    internal static string TypeName(OptionType type) => type switch
    {
        OptionType.Int => "int",
        OptionType.Float => "float",
        OptionType.Bool => "bool",
        OptionType.Incr => "incr",
        OptionType.List => "list",
        _ => "string",
    };

    /// <summary>Checks a package the way a relay does, then (with <paramref name="check"/>) runs the bundle checks on its
    /// content (<see cref="CheckFolderAsync"/>), in a scratch folder deleted afterwards.</summary>
    async Task<(BundleManifest? Manifest, string? Text, IReadOnlyList<ManifestError> Warnings, RegistryError? Error)> UnpackAsync(
        byte[] package, string digest, bool check, CancellationToken cancellationToken)
    {
        var target = Path.Combine(_scratch, "cog-install-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = BundlePackage.Extract(new MemoryStream(package, writable: false), digest, target, _limits);
            if (!result.Succeeded)
                return (null, null, [], new RegistryError(RegistryErrorKind.Invalid, result.Error, result.ManifestErrors));
            var name = ManifestLoader.FileNames.FirstOrDefault(n => File.Exists(Path.Combine(target, n)));
            if (name is null)
                return (null, null, [], Invalid(PackageErrors.InvalidManifest));
            var text = await File.ReadAllTextAsync(Path.Combine(target, name), cancellationToken).ConfigureAwait(false);
            var (refused, warnings) = check ? await CheckFolderAsync(target, cancellationToken).ConfigureAwait(false) : (null, []);
            return refused is not null ? (null, null, [], refused) : (result.Contents.Manifest, text, warnings, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null, [], Invalid(PackageErrors.CannotExtract(e.Message)));
        }
        finally
        {
            TryDelete(target);
        }
    }

    /// <summary>Runs the bundle checks on a bare manifest, written alone into a scratch folder as its bundle: its
    /// templates must parse and its executables (absolute paths on the relay hosts) are not looked for.</summary>
    async Task<(RegistryError? Refusal, ImmutableArray<ManifestError> Warnings)> CheckManifestAsync(string manifestText, CancellationToken cancellationToken)
    {
        if (_checker is null)
            return (null, []);
        var target = Path.Combine(_scratch, "cog-install-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(target);
            await File.WriteAllTextAsync(Path.Combine(target, ManifestLoader.FileNames[0]), manifestText, cancellationToken).ConfigureAwait(false);
            return await CheckFolderAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (Invalid(PackageErrors.CannotExtract(e.Message)), []);
        }
        finally
        {
            TryDelete(target);
        }
    }

    /// <summary>The checks before run time of an unpacked bundle (<see cref="BundleChecker"/>), the same as
    /// <c>cogctl bundle validate</c>'s: null when it passes or the operator turned them off
    /// (<see cref="BundleRegistryOptions.SkipChecks"/>).</summary>
    Task<(RegistryError? Refusal, ImmutableArray<ManifestError> Warnings)> CheckFolderAsync(string folder, CancellationToken cancellationToken) =>
        _checker is null ? Task.FromResult<(RegistryError?, ImmutableArray<ManifestError>)>((null, [])) : _checker.CheckAsync(folder, cancellationToken);

    static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover scratch folder holds nothing secret (the package was uploaded by an operator) and is harmless.
        }
    }

    async Task<RegistryResult<BundleVersion>> FindVersionAsync(string bundle, string version, CancellationToken cancellationToken)
    {
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return NotFound(BundleRegistryErrors.BundleNotFound(bundle));
        var foundVersion = await _store.Bundles.FindVersionAsync(found.Id, version, cancellationToken).ConfigureAwait(false);
        return foundVersion is null ? NotFound(BundleRegistryErrors.VersionNotFound(bundle, version)) : foundVersion;
    }

    static RegistryError Invalid(string message) => new(RegistryErrorKind.Invalid, message);

    static RegistryError NotFound(string message) => new(RegistryErrorKind.NotFound, message);

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

/// <summary>An installed bundle and every version of it.</summary>
/// <param name="Bundle">The bundle.</param>
/// <param name="Versions">Its versions, in installation order.</param>
public sealed record InstalledBundleVersions(Bundle Bundle, IReadOnlyList<BundleVersion> Versions)
{
    /// <summary>The enabled version, or <see langword="null"/> when the bundle is disabled.</summary>
    public BundleVersion? EnabledVersion => Versions.FirstOrDefault(static v => v.Enabled);
}

/// <summary>Checks a validated manifest before it is installed: an error refuses the install; otherwise the value says
/// whether the new version must be enabled as well.</summary>
delegate Task<RegistryResult<bool>> BeforeInstall(BundleManifest manifest, CancellationToken cancellationToken);
