using System.Text;
using System.Text.Json;

namespace Cog.Contracts.Tests.Relays;

/// <summary>The golden payloads in <c>Relays/Golden</c>: pretty-printed for review, compared in compact form.</summary>
static class GoldenFiles
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Relays", "Golden", name + ".json"), Encoding.UTF8);

    /// <summary>The JSON text without insignificant white space, properties in their written order.</summary>
    public static byte[] Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return buffer.ToArray();
    }
}
