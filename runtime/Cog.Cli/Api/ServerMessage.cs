using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Cli.Api;

/// <summary>Reads the message out of an error body: <c>{"error":"…"}</c>, <c>{"errors":"…"}</c>, or changeset errors
/// <c>{"errors":{"field":["message",…]}}</c> shown as <c>field: message</c> pairs; a field holding one string (the
/// bootstrap's <c>{"errors":{"bootstrap":"Already bootstrapped"}}</c>) is shown as that string alone.</summary>
static class ServerMessage
{
    public static string? From(JsonNode? body)
    {
        if (body is not JsonObject obj)
        {
            return null;
        }
        if (Text(obj["error"]) is { } error)
        {
            return error;
        }
        var errors = obj["errors"];
        if (Text(errors) is { } plain)
        {
            return plain;
        }
        if (errors is JsonArray list)
        {
            return Join(list, "; ");
        }
        if (errors is not JsonObject fields)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var (field, value) in fields)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            if (Text(value) is { } single)
            {
                text.Append(single);
                continue;
            }
            var messages = value is JsonArray array ? Join(array, ", ") : value?.ToJsonString() ?? "null";
            text.Append(field).Append(": ").Append(messages);
        }
        return text.Length == 0 ? null : text.ToString();
    }

    static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    static string Join(JsonArray array, string separator)
    {
        var parts = new List<string>(array.Count);
        foreach (var item in array)
        {
            parts.Add(Text(item) ?? item?.ToJsonString() ?? "null");
        }
        return string.Join(separator, parts);
    }
}
