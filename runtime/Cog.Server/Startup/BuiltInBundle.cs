using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Runtime.Bundles;
using Cog.Runtime.Storage;
using Cog.Server.Composition;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Startup;

/// <summary>Installs the built-in <c>operable</c> bundle from the manifest compiled into this
/// executable (bundles/operable/config.yaml), and enables it, when the store does not have that manifest yet (its
/// stored version carries the manifest's digest: <see cref="BundleRegistry.BuiltInVersion"/>).</summary>
static class BuiltInBundle
{
    /// <summary>The manifest text inside this executable.</summary>
    public static string ManifestText()
    {
        using var stream = typeof(BuiltInBundle).Assembly.GetManifestResourceStream("operable.config.yaml")
            ?? throw new InvalidOperationException("The built-in bundle's manifest is missing from the executable.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static async Task InstallAsync(BundleRegistry registry, IStore store, ILogger logger, CancellationToken cancellationToken)
    {
        var text = ManifestText();
        var parsed = ManifestLoader.Parse(text, "operable/config.yaml");
        if (!parsed.Succeeded)
            throw new InvalidOperationException("The built-in bundle's manifest is invalid: " + string.Join("; ", parsed.Errors));
        var version = BundleRegistry.BuiltInVersion(parsed.Manifest.Version,
            BundlePackage.Digest(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text), writable: false)));

        var bundle = await store.Bundles.FindByNameAsync(Bundle.BuiltInName, cancellationToken).ConfigureAwait(false);
        var existing = bundle is null ? null : await store.Bundles.FindVersionAsync(bundle.Id, version, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!existing.Enabled)
                (await registry.EnableAsync(Bundle.BuiltInName, version, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            return;
        }
        (await registry.InstallBuiltInAsync(text, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
        ServerLog.BuiltInInstalled(logger, version);
    }
}
