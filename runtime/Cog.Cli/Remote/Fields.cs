using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cog.Cli.Remote;

/// <summary>Tolerant reading of the server's JSON: a missing or mistyped field reads as empty, never throws.</summary>
static class Fields
{
    /// <summary>A string field (numbers and booleans as their JSON text), or null.</summary>
    public static string? Str(JsonNode? node, string name) => Text(node is JsonObject obj ? obj[name] : null);

    /// <summary>The node's text: a string as is, other scalars as JSON text, null for null or a container.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    /// <summary>The one way cogctl shows a time in a table: ISO 8601 in UTC to the second, <c>2026-05-01T12:00:00Z</c>,
    /// whatever precision or offset the server wrote (<c>--json</c> passes the server's value through). A value that is
    /// not a time is shown as it is; a missing one as "".</summary>
    public static string Time(JsonNode? node, string name) => Str(node, name) is { } text ? FormatTime(text) : "";

    /// <summary>See <see cref="Time(JsonNode?, string)"/>.</summary>
    public static string FormatTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? FormatTime(time)
            : text;

    /// <summary>See <see cref="Time(JsonNode?, string)"/>.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>True for the fields that hold a time: <c>time</c> and every <c>…_at</c>.</summary>
    public static bool IsTime(string name) => name == "time" || name.EndsWith("_at", StringComparison.Ordinal);

    public static bool Bool(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static JsonObject? Obj(JsonNode? node, string name) => node is JsonObject obj ? obj[name] as JsonObject : null;

    public static JsonArray Arr(JsonNode? node, string name) => node is JsonObject obj && obj[name] is JsonArray array ? array : [];

    /// <summary>The objects of an array field.</summary>
    public static List<JsonObject> Objects(JsonNode? node, string name)
    {
        var list = new List<JsonObject>();
        foreach (var item in Arr(node, name))
        {
            if (item is JsonObject obj)
            {
                list.Add(obj);
            }
        }
        return list;
    }

    /// <summary>The objects of an array.</summary>
    public static List<JsonObject> Objects(JsonArray array)
    {
        var list = new List<JsonObject>();
        foreach (var item in array)
        {
            if (item is JsonObject obj)
            {
                list.Add(obj);
            }
        }
        return list;
    }

    /// <summary>The given field of each object of an array field, joined with ", " (the original's lists in tables).</summary>
    public static string Names(JsonNode? node, string arrayName, string field = "name")
    {
        var names = new List<string>();
        foreach (var item in Objects(node, arrayName))
        {
            names.Add(Str(item, field) ?? "");
        }
        return string.Join(", ", names);
    }

    /// <summary>A field shown the way the original (Python) printed it: True/False, None, numbers as written.</summary>
    public static string Cell(JsonNode? node, string name)
    {
        var value = node is JsonObject obj ? obj[name] : null;
        return value switch
        {
            null => "None",
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
            JsonValue v => Text(v) ?? "",
            _ => value.ToJsonString(),
        };
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
