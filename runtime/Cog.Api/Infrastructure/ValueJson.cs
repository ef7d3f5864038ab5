using System.Buffers;
using System.Text.Json;
using Cog.Language.Values;

namespace Cog.Api.Infrastructure;

/// <summary>Pipeline values (<see cref="Value"/>) inside API responses: turned into <see cref="JsonElement"/>s, which the
/// serializer writes as they are.</summary>
static class ValueJson
{
    /// <summary>The JSON of <paramref name="value"/> as an element.</summary>
    public static JsonElement Element(Value value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            value.WriteTo(writer);
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>The JSON of a list of values.</summary>
    public static JsonElement List(IEnumerable<Value> values) => Element(new ListValue([.. values]));

    /// <summary>Stored JSON text (an audit payload) as an element; text that is not JSON becomes a JSON string.</summary>
    public static JsonElement Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
