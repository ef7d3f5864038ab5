using System.Text.Json.Nodes;
using Cog.Manifest.Yaml;

namespace Cog.Manifest;

/// <summary>The manifest as stored by the server: its YAML (or JSON) text converted to compact JSON, keys and values as
/// written (plain scalars typed by the YAML 1.2 core schema, as validation reads them).</summary>
/// <remarks>The JSON is itself a valid manifest text: <see cref="ManifestLoader.Parse"/> reads it back to the same
/// model. Thread-safe.</remarks>
public static class ManifestJson
{
    /// <summary>Converts manifest text to compact JSON, or <see langword="null"/> when the text is not one readable
    /// YAML mapping (a syntax error, several documents, a complex key, an unknown alias; validate it with
    /// <see cref="ManifestLoader.Parse"/> to get the reasons). A key given twice keeps its last value.</summary>
    public static string? FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new ErrorList("manifest");
        var tree = YamlTreeReader.Read(text, errors);
        return errors.Count == 0 && tree?.Root is JsonObject root ? root.ToJsonString() : null;
    }
}
