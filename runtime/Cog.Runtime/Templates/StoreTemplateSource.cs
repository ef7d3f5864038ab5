using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Bundles;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Templates;

/// <summary>Templates read from the store: the <c>templates:</c> section of the version's stored manifest, and for
/// manifest version 6 packages also every <c>templates/&lt;name&gt;.liquid</c> file in the package (the manifest wins
/// when both define a name).</summary>
/// <remarks>
/// <para>Thread-safe. Templates are cached by the stored version's id, looked up on every call: an installed version
/// never changes, and a version deleted and installed again under the same number is a new stored version (a new id), so
/// its templates show at the next reply — on every server sharing the store, with nothing to invalidate. The cache holds
/// at most <see cref="MaxCached"/> versions and is emptied when it would grow past that.</para>
/// </remarks>
public sealed class StoreTemplateSource : ITemplateSource
{
    /// <summary>The most versions whose templates are kept.</summary>
    const int MaxCached = 1024;

    /// <summary>The largest template file read from a package.</summary>
    const int MaxFileLength = 256 * 1024;

    const string Folder = "templates/";
    const string Extension = ".liquid";

    readonly IStoreSession _store;
    readonly ConcurrentDictionary<string, BundleTemplates> _cache = new(StringComparer.Ordinal);

    /// <summary>Reads from <paramref name="store"/>.</summary>
    public StoreTemplateSource(IStoreSession store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc/>
    public async ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(version);
        // Every reply asks: one small indexed read of the version's id, and the stored version itself only when its
        // templates are not cached yet.
        var id = await _store.Bundles.FindVersionIdAsync(bundle, version, cancellationToken).ConfigureAwait(false);
        if (id is null)
            return null;
        if (_cache.TryGetValue(id, out var cached))
            return cached;
        if (await _store.Bundles.GetVersionAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
            return null;
        var templates = await LoadAsync(bundle, stored, cancellationToken).ConfigureAwait(false);
        if (_cache.Count >= MaxCached)
            _cache.Clear();
        _cache[id] = templates;
        return templates;
    }

    async Task<BundleTemplates> LoadAsync(string bundle, BundleVersion stored, CancellationToken cancellationToken)
    {
        var (manifestVersion, bodies) = FromManifest(stored.ManifestJson);
        if (manifestVersion >= 6 && stored.PackageDigest is not null)
        {
            var package = await _store.Bundles.GetPackageAsync(stored.Id, cancellationToken).ConfigureAwait(false);
            if (package is not null && StoredPackages.FormatOf(package) == PackageFormat.Archive)
                AddFiles(package, bodies);
        }
        return new BundleTemplates(bundle, stored.Version, manifestVersion is 4 or 5 ? TemplateDialect.Greenbar : TemplateDialect.Liquid, bodies.ToImmutable());
    }

    /// <summary>The manifest version and the <c>templates:</c> bodies of a stored manifest.</summary>
    internal static (int ManifestVersion, ImmutableDictionary<string, string>.Builder Bodies) FromManifest(string manifestJson)
    {
        var bodies = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(manifestJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (0, bodies);
            var version = root.TryGetProperty("cog_bundle_version", out var number) && number.TryGetInt32(out var parsed) ? parsed : 0;
            if (root.TryGetProperty("templates", out var templates) && templates.ValueKind == JsonValueKind.Object)
            {
                foreach (var template in templates.EnumerateObject())
                {
                    if (template.Value.ValueKind == JsonValueKind.Object && template.Value.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String)
                        bodies[template.Name] = body.GetString()!;
                }
            }
            return (version, bodies);
        }
        catch (JsonException)
        {
            return (0, bodies);
        }
    }

    /// <summary>Adds the package's <c>templates/*.liquid</c> files that the manifest does not define.</summary>
    internal static void AddFiles(byte[] package, ImmutableDictionary<string, string>.Builder bodies)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(package, writable: false), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                var path = entry.FullName.Replace('\\', '/');
                if (!path.StartsWith(Folder, StringComparison.Ordinal) || !path.EndsWith(Extension, StringComparison.Ordinal) || entry.Length > MaxFileLength)
                    continue;
                var name = path[Folder.Length..^Extension.Length];
                if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || bodies.ContainsKey(name))
                    continue;
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                bodies[name] = reader.ReadToEnd();
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Installed packages were verified at install; an unreadable one simply has no file templates.
        }
    }
}
