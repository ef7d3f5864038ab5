using System.Text.Json;

namespace Cog.Api.Infrastructure;

/// <summary>Reads optional members of a request envelope; a member of the wrong type is reported by name.</summary>
static class RequestFields
{
    /// <summary>A string member: absent or null → <see langword="null"/>; not a string → <paramref name="invalid"/> set.</summary>
    public static string? String(JsonElement envelope, string name, ref string? invalid)
    {
        if (envelope.ValueKind != JsonValueKind.Object || !envelope.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        invalid ??= name;
        return null;
    }

    /// <summary>A boolean member.</summary>
    public static bool? Bool(JsonElement envelope, string name, ref string? invalid)
    {
        if (envelope.ValueKind != JsonValueKind.Object || !envelope.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        invalid ??= name;
        return null;
    }

    /// <summary>A list of strings.</summary>
    public static IReadOnlyList<string> Strings(JsonElement envelope, string name, ref string? invalid)
    {
        if (envelope.ValueKind != JsonValueKind.Object || !envelope.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            invalid ??= name;
            return [];
        }
        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                invalid ??= name;
                return [];
            }
            list.Add(item.GetString()!);
        }
        return list;
    }
}
