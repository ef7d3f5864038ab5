using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cog.Cli.Output;

/// <summary>Writes JSON data as block-style YAML (a configuration layer for people): strings double-quoted with
/// JSON escapes (valid YAML), numbers, booleans and null plain.</summary>
static class YamlText
{
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                WriteObject(text, obj, 0);
                break;
            case JsonArray { Count: > 0 } array:
                WriteArray(text, array, 0);
                break;
            default:
                text.Append(Scalar(node)).Append('\n');
                break;
        }
        return text.ToString();
    }

    static void WriteObject(StringBuilder text, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            text.Append(' ', indent).Append(Quote(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    static void WriteArray(StringBuilder text, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            text.Append(' ', indent).Append('-');
            WriteValue(text, item, indent);
        }
    }

    static void WriteValue(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } inner:
                text.Append('\n');
                WriteObject(text, inner, indent + 2);
                break;
            case JsonArray { Count: > 0 } list:
                text.Append('\n');
                WriteArray(text, list, indent + 2);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Quote(value.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);
}
