using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cog.Contracts.Relays;

/// <summary>Checks a parsed payload against the serializer's own metadata before binding: every required field present,
/// every value of the JSON kind its field needs. The serializer's exceptions name .NET types; these errors name the
/// JSON path and say what was expected, in the protocol's terms.</summary>
static class ShapeChecker
{
    /// <summary>A field that is missing (<paramref name="Detail"/> null) or holds a value of the wrong kind.</summary>
    public readonly record struct Problem(string Path, string? Detail);

    static readonly FrozenDictionary<Type, string[]> EnumNames = new[]
    {
        typeof(RelayState), typeof(PackageFormat), typeof(ItemStep), typeof(ResultStatus),
    }.ToFrozenDictionary(t => t, WireNames);

    public static Problem? CheckObject(JsonElement element, JsonTypeInfo info, string path)
    {
        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is null && property.Set is null)
                continue; // written only (v, type), checked by the header
            var childPath = $"{path}.{property.Name}";
            if (!element.TryGetProperty(property.Name, out var value))
            {
                if (property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false })
                    return new Problem(childPath, null);
                continue;
            }
            var nullable = property.AssociatedParameter?.IsNullable ?? property.IsSetNullable;
            if (CheckValue(value, property.PropertyType, nullable, info.Options, childPath) is { } problem)
                return problem;
        }
        return null;
    }

    static Problem? CheckValue(JsonElement value, Type type, bool nullable, JsonSerializerOptions options, string path)
    {
        if (type == typeof(JsonElement))
            return null;
        if (value.ValueKind == JsonValueKind.Null)
            return nullable ? null : new Problem(path, ProtocolErrors.MustNotBeNull);

        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = value.ValueKind;
        if (type == typeof(string))
            return Expect(kind == JsonValueKind.String, "a string", value, path);
        if (type == typeof(int))
            return Expect(kind == JsonValueKind.Number && value.TryGetInt32(out _), "an integer", value, path);
        if (type == typeof(long))
            return Expect(kind == JsonValueKind.Number && value.TryGetInt64(out _), "an integer", value, path);
        if (type == typeof(bool))
            return Expect(kind is JsonValueKind.True or JsonValueKind.False, "true or false", value, path);
        if (type == typeof(DateTimeOffset))
            return Expect(kind == JsonValueKind.String && value.TryGetDateTimeOffset(out _), "a timestamp (RFC 3339)", value, path);
        if (type == typeof(Uri))
            return Expect(kind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.RelativeOrAbsolute, out _), "a URL", value, path);
        if (EnumNames.TryGetValue(type, out var names))
        {
            var known = kind == JsonValueKind.String && Array.Exists(names, n => value.ValueEquals(n));
            return Expect(known, "one of " + string.Join(", ", names.Select(n => $"'{n}'")), value, path);
        }

        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                return kind == JsonValueKind.Object ? CheckObject(value, info, path) : Expect(false, "an object", value, path);
            case JsonTypeInfoKind.Enumerable when info.ElementType is { } elementType:
                if (kind != JsonValueKind.Array)
                    return Expect(false, "an array", value, path);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (CheckValue(item, elementType, nullable: false, options, $"{path}[{index}]") is { } problem)
                        return problem;
                    index++;
                }
                return null;
            case JsonTypeInfoKind.Dictionary when info.ElementType is { } valueType:
                if (kind != JsonValueKind.Object)
                    return Expect(false, "an object", value, path);
                foreach (var entry in value.EnumerateObject())
                {
                    if (CheckValue(entry.Value, valueType, nullable: false, options, $"{path}.{entry.Name}") is { } problem)
                        return problem;
                }
                return null;
            default:
                return null;
        }
    }

    static Problem? Expect(bool valid, string expected, JsonElement value, string path) =>
        valid ? null : new Problem(path, ProtocolErrors.Expected(expected, Describe(value)));

    static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => ProtocolErrors.Excerpt(value.GetRawText()),
    };

    static string[] WireNames(Type enumType) =>
    [
        .. enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name),
    ];
}
