using Cog.Manifest;

namespace Cog.Sdk.Testing;

/// <summary>The built-in bundle's manifest, embedded from <c>bundles/operable/config.yaml</c> as the server embeds it.</summary>
static class OperableManifest
{
    public static (BundleManifest Manifest, string Json) Load()
    {
        using var stream = typeof(OperableManifest).Assembly.GetManifestResourceStream("operable.config.yaml")
            ?? throw new InvalidOperationException("The operable manifest is not embedded in Cog.Sdk.Testing.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var loaded = ManifestLoader.Parse(text, "operable/config.yaml");
        return loaded.Manifest is { } manifest && ManifestJson.FromText(text) is { } json
            ? (manifest, json)
            : throw new InvalidOperationException("The embedded operable manifest does not validate: " + string.Join("; ", loaded.Errors));
    }
}
