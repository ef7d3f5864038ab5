using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Cog.Web.Hosting;

/// <summary>The console's static files, read once from this assembly's embedded resources (<c>console/PATH</c>), so the
/// server serves them from the build output and from a published folder alike.</summary>
sealed class ConsoleAssets
{
    const string Prefix = "console/";

    ConsoleAssets(FrozenDictionary<string, ConsoleAsset> assets) => Assets = assets;

    /// <summary>By URL path (<c>/index.html</c>, <c>/js/app.js</c>).</summary>
    public FrozenDictionary<string, ConsoleAsset> Assets { get; }

    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            assets[path] = new ConsoleAsset(path, content, ContentType(path), "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");
        }
        return new ConsoleAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    static string ContentType(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" or ".webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    };
}

/// <summary>One static file of the console.</summary>
sealed record ConsoleAsset(string Path, byte[] Content, string ContentType, string ETag);
