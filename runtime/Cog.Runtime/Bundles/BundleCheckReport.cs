using System.Collections.Immutable;
using System.Text.Json;
using Cog.Manifest;

namespace Cog.Runtime.Bundles;

/// <summary>
/// What the bundle checker process (Cog.BundleChecker) prints on its standard output and the server reads back: one
/// JSON object <c>{"errors": [E...], "warnings": [E...]}</c>, each <c>E</c> a positioned error
/// <c>{"message", "file", "line", "column", "pointer"}</c> with the file relative to the checked bundle folder.
/// </summary>
public static class BundleCheckReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(Stream output, IEnumerable<ManifestError> errors, IEnumerable<ManifestError> warnings)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        WriteList(writer, "errors", errors);
        WriteList(writer, "warnings", warnings);
        writer.WriteEndObject();
    }

    static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<ManifestError> list)
    {
        writer.WriteStartArray(name);
        foreach (var e in list)
        {
            writer.WriteStartObject();
            writer.WriteString("message", e.Message);
            writer.WriteString("file", e.File);
            writer.WriteNumber("line", e.Line);
            writer.WriteNumber("column", e.Column);
            writer.WriteString("pointer", e.Pointer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>Reads a report; <see langword="null"/> when <paramref name="json"/> is not one.</summary>
    public static (ImmutableArray<ManifestError> Errors, ImmutableArray<ManifestError> Warnings)? Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("warnings", out var warnings) || warnings.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            return (ReadList(errors), ReadList(warnings));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    static ImmutableArray<ManifestError> ReadList(JsonElement list) =>
    [
        .. list.EnumerateArray().Select(static e => new ManifestError(e.GetProperty("message").GetString()!, e.GetProperty("file").GetString()!,
            e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32(), e.GetProperty("pointer").GetString()!)),
    ];
}
