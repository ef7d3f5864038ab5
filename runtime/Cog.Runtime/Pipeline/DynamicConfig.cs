using System.Collections.Immutable;
using System.Text.Json;
using Cog.Runtime.Bundles;

namespace Cog.Runtime.Pipeline;

/// <summary>A bundle's dynamic configuration layers, parsed once, merged per invocation.</summary>
sealed class DynamicConfig
{
    const string RoomPrefix = "room/";
    const string UserPrefix = "user/";

    readonly Dictionary<string, KeyValuePair<string, string>[]> _layers;

    DynamicConfig(Dictionary<string, KeyValuePair<string, string>[]> layers) => _layers = layers;

    /// <summary>A bundle without layers.</summary>
    public static DynamicConfig Empty { get; } = new(new Dictionary<string, KeyValuePair<string, string>[]>(StringComparer.Ordinal));

    /// <summary>Parses stored layers. A layer that is not a JSON object is left out (it configures nothing, as an
    /// unreadable layer file did on a Cog 1.0 relay); string values are taken as they are, other values as their JSON
    /// text; <c>null</c> values are left out.</summary>
    public static DynamicConfig From(IReadOnlyList<ConfigLayer> layers)
    {
        if (layers.Count == 0)
            return Empty;
        var parsed = new Dictionary<string, KeyValuePair<string, string>[]>(layers.Count, StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            if (Parse(layer.ConfigJson) is { } values)
                parsed[layer.Layer.ToLowerInvariant()] = values;
        }
        return new DynamicConfig(parsed);
    }

    /// <summary>The effective configuration: base ← <c>room/</c><paramref name="room"/> ← <c>user/</c><paramref name="username"/>
    /// (later layers win per key; names compared lower-case), without <c>COG_</c> and <c>RELAY_</c> keys.</summary>
    public ImmutableSortedDictionary<string, string> Merge(string room, string username)
    {
        if (_layers.Count == 0)
            return ImmutableSortedDictionary<string, string>.Empty;
        var merged = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        Apply(merged, ConfigLayer.Base);
        Apply(merged, RoomPrefix + room.ToLowerInvariant());
        Apply(merged, UserPrefix + username.ToLowerInvariant());
        return merged.ToImmutable();
    }

    void Apply(ImmutableSortedDictionary<string, string>.Builder merged, string layer)
    {
        if (!_layers.TryGetValue(layer, out var values))
            return;
        foreach (var (key, value) in values)
        {
            if (key.StartsWith("COG_", StringComparison.Ordinal) || key.StartsWith("RELAY_", StringComparison.Ordinal))
                continue;
            merged[key] = value;
        }
    }

    static KeyValuePair<string, string>[]? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            var values = new List<KeyValuePair<string, string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Null)
                    continue;
                values.Add(new(property.Name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
            }
            return [.. values];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
