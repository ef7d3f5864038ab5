using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Runtime.Templates;

namespace Cog.Sdk.Testing;

/// <summary>
/// A bundle version as a relay and the server hold it after <c>bundle install</c>: a folder is packaged first (by the
/// same code as <c>cogctl bundle package</c>, so a file the package would leave out is missing here too), the package
/// is verified and unpacked into <paramref name="Directory"/>, and its templates are read as the server reads an
/// installed version's (the manifest's <c>templates:</c>, and for version 6 the package's <c>templates/*.liquid</c>).
/// </summary>
/// <param name="Manifest">The validated manifest.</param>
/// <param name="Digest">The package's digest.</param>
/// <param name="Directory">The folder the package was unpacked to.</param>
/// <param name="Templates">The version's templates.</param>
/// <param name="ManifestJson">The manifest as the server stores it (for <c>help</c>).</param>
sealed record LoadedBundle(BundleManifest Manifest, string Digest, string Directory, BundleTemplates Templates, string ManifestJson)
{
    /// <summary>Packages (a folder) and unpacks the bundle at <paramref name="path"/> into <paramref name="target"/>,
    /// which must not exist.</summary>
    /// <exception cref="BundleLoadException">It is not a valid bundle.</exception>
    public static LoadedBundle Load(string path, string target)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && ManifestLoader.FileNames.Contains(Path.GetFileName(full), StringComparer.Ordinal))
            full = Path.GetDirectoryName(full)!;
        byte[] package;
        if (System.IO.Directory.Exists(full))
        {
            using var buffer = new MemoryStream();
            var built = BundlePackage.Create(full, buffer);
            if (!built.Succeeded)
                throw Invalid(full, built);
            package = buffer.ToArray();
        }
        else if (File.Exists(full))
        {
            package = File.ReadAllBytes(full);
        }
        else
        {
            throw new BundleLoadException(TestKitMessages.NotFound(path), []);
        }

        var digest = BundlePackage.Digest(new MemoryStream(package, writable: false));
        var unpacked = BundlePackage.Extract(new MemoryStream(package, writable: false), digest, target, PackageLimits.Default);
        if (!unpacked.Succeeded)
            throw Invalid(full, unpacked);
        var manifest = unpacked.Contents.Manifest;
        if (manifest.Docker is not null)
            throw new BundleLoadException(TestKitMessages.DockerNotSupported, []);
        if (manifest.Name == Runtime.Bundles.Bundle.BuiltInName)
            throw new BundleLoadException(TestKitMessages.NameTaken, []);

        var manifestText = ManifestLoader.FileNames.Select(name => Path.Combine(target, name)).First(File.Exists);
        var manifestJson = Cog.Manifest.ManifestJson.FromText(File.ReadAllText(manifestText)) ?? "{}";
        var bodies = manifest.Templates.ToBuilder();
        if (manifest.ManifestVersion >= 6)
            StoreTemplateSource.AddFiles(package, bodies);
        var dialect = manifest.ManifestVersion is 4 or 5 ? TemplateDialect.Greenbar : TemplateDialect.Liquid;
        var templates = new BundleTemplates(manifest.Name, manifest.Version, dialect, bodies.ToImmutable());
        return new LoadedBundle(manifest, digest, target, templates, manifestJson);
    }

    static BundleLoadException Invalid(string path, PackageResult result) =>
        new(TestKitMessages.InvalidBundle(path), result.ManifestErrors.IsEmpty ? [result.Error!] : [.. result.ManifestErrors.Select(e => e.ToString())]);
}
