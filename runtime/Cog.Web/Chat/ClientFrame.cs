using System.Text.Json;

namespace Cog.Web.Chat;

/// <summary>A frame a browser sent: <c>{"type":"auth","token"}</c> or
/// <c>{"type":"send","room","text","client_id"?,"thread"?}</c>.</summary>
sealed record ClientFrame(string Type, string? Token, string? Room, string? Text, string? ClientId, string? Thread)
{
    /// <summary>The frame, or <see langword="null"/> when the bytes are not a JSON object with a string <c>type</c>.
    /// Members of another type than string are read as missing.</summary>
    public static ClientFrame? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "type") is not { } type)
                return null;
            return new ClientFrame(type, String(root, "token"), String(root, "room"), String(root, "text"),
                String(root, "client_id"), String(root, "thread"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
