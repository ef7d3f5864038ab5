using Cog.Manifest.Packages;

namespace Cog.Runtime.Bundles;

/// <summary>Dev mode: the content of a dev folder installed as the bundle's enabled version.</summary>
public sealed partial class BundleRegistry
{
    /// <summary>Installs and enables a package built from a dev folder under its dev version
    /// (<see cref="DevVersions.Of"/>: the manifest's version and the content's digest), the version the dev relay
    /// announces for that content. Content installed before is enabled again; the bundle's other dev versions, now
    /// disabled, are deleted, so a dev session does not pile up one version per save. Versions installed the ordinary
    /// way are left alone.</summary>
    /// <param name="package">The package <see cref="BundlePackage.Create"/> built from the folder.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The enabled dev version and whether anything changed; Invalid (the package's errors). The caller leaves
    /// the built-in bundle out: it runs in the server.</returns>
    /// <remarks>The checks before run time (<see cref="BundleChecker"/>) do not hold up a dev install: they take seconds
    /// (the checker starts and compiles every script), longer than the next invocation should wait after a save. New
    /// content is installed at once and checked afterwards in the background; what fails is logged as a warning with every
    /// positioned error (the relay reports a script that does not compile on its own when it loads the bundle).</remarks>
    public async Task<RegistryResult<DevInstall>> InstallDevAsync(ReadOnlyMemory<byte> package, CancellationToken cancellationToken)
    {
        var bytes = package.ToArray();
        var digest = BundlePackage.Digest(new MemoryStream(bytes, writable: false));
        var (manifest, manifestText, _, error) = await UnpackAsync(bytes, digest, check: false, cancellationToken).ConfigureAwait(false);
        if (error is not null)
            return error;
        var version = DevVersions.Of(manifest!.Version, digest);
        var changed = true;
        var installed = await InstallAsync(manifest with { Version = version }, manifestText!, digest, bytes, [], enable: true, beforeInstall: null,
            cancellationToken).ConfigureAwait(false);
        if (!installed.IsSuccess)
        {
            if (installed.Error.Kind != RegistryErrorKind.Duplicate)
                return installed.Error;
            var existing = await FindVersionAsync(manifest.Name, version, cancellationToken).ConfigureAwait(false);
            if (!existing.IsSuccess)
                return existing.Error;
            changed = !existing.Value!.Enabled;
            installed = changed ? await EnableAsync(manifest.Name, version, cancellationToken).ConfigureAwait(false) : existing;
            if (!installed.IsSuccess)
                return installed.Error;
        }
        var current = installed.Value!;
        if (changed && _checker is not null)
            _ = Task.Run(() => ReportDevChecksAsync(bytes, digest, manifest.Name, version), CancellationToken.None);
        var versions = await _store.Bundles.ListVersionsAsync(current.BundleId, cancellationToken).ConfigureAwait(false);
        var deleted = false;
        foreach (var superseded in versions)
        {
            if (!superseded.Enabled && superseded.PackageDigest is { } old && DevVersions.IsDevVersion(superseded.Version, old))
                deleted |= (await _store.Bundles.DeleteVersionAsync(superseded.Id, cancellationToken).ConfigureAwait(false)).IsSuccess;
        }
        if (deleted)
            _changes.CatalogChanged();
        return new DevInstall(current, changed);
    }

    /// <summary>Runs the checks on dev content installed just now and logs what fails; never throws.</summary>
    async Task ReportDevChecksAsync(byte[] package, string digest, string bundle, string version)
    {
        try
        {
            var (_, _, _, error) = await UnpackAsync(package, digest, check: true, CancellationToken.None).ConfigureAwait(false);
            if (error is not null)
                BundleRegistryLog.DevChecksFailed(_logger, bundle, version, string.Join("; ", [error.Message, .. error.ManifestErrors.Select(static e => e.ToString())]));
        }
#pragma warning disable CA1031 // A report in the background: whatever goes wrong is logged, never lost in an unobserved task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            BundleRegistryLog.DevChecksFailed(_logger, bundle, version, e.Message);
        }
    }
}

/// <summary>What <see cref="BundleRegistry.InstallDevAsync"/> did.</summary>
/// <param name="Version">The dev version now enabled.</param>
/// <param name="Changed">Whether it was installed or enabled just now (otherwise it was the enabled version already).</param>
public sealed record DevInstall(BundleVersion Version, bool Changed);
