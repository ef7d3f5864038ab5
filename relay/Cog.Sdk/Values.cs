using System.Globalization;
using System.Text.Json;

namespace Cog.Sdk;

/// <summary>Conversions shared by <see cref="CommandArguments"/> and <see cref="CommandOptions"/>.</summary>
static class Values
{
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    public static string String(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Mismatch(what, "a string", value);

    public static long Int64(JsonElement value, string what)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }
        throw Mismatch(what, "an integer", value);
    }

    public static double Double(JsonElement value, string what)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }
        if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        throw Mismatch(what, "a number", value);
    }

    public static bool Boolean(JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Mismatch(what, "a boolean", value),
    };

    static ArgumentException Mismatch(string what, string expected, JsonElement value) =>
        new($"The {what} should be {expected}, but it is {value.GetRawText()}.");
}
