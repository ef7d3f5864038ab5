using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Cog.Sdk;

/// <summary>The options of an invocation by their long name, typed by the command's option definitions.</summary>
/// <remarks>
/// Options the invocation did not give are absent, except <c>incr</c> options, which are 0. The typed getters take a
/// default for an absent option and throw <see cref="ArgumentException"/> when a present value has another type
/// (the manifest's option types make that a bundle bug).
/// </remarks>
public sealed class CommandOptions : IReadOnlyDictionary<string, JsonElement>
{
    readonly Dictionary<string, JsonElement> _values;

    /// <summary>Creates the option map (the relay does this; tests may too).</summary>
    public CommandOptions(IEnumerable<KeyValuePair<string, JsonElement>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            _values[name] = value.Clone();
        }
    }

    /// <summary>No options.</summary>
    public static CommandOptions Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _values.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc/>
    public IEnumerable<JsonElement> Values => _values.Values;

    /// <inheritdoc/>
    public JsonElement this[string key] => _values[key];

    /// <summary>Whether the invocation gave the option.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => _values.TryGetValue(key, out value);

    /// <summary>A <c>string</c> option, or <paramref name="defaultValue"/> when absent.</summary>
    [return: NotNullIfNotNull(nameof(defaultValue))]
    public string? GetString(string name, string? defaultValue = null) =>
        _values.TryGetValue(name, out var v) ? Sdk.Values.String(v, Describe(name)) : defaultValue;

    /// <summary>An <c>int</c> or <c>incr</c> option, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetInt64(string name, long defaultValue = 0) =>
        _values.TryGetValue(name, out var v) ? Sdk.Values.Int64(v, Describe(name)) : defaultValue;

    /// <summary>A <c>float</c> option, or <paramref name="defaultValue"/> when absent.</summary>
    public double GetDouble(string name, double defaultValue = 0) =>
        _values.TryGetValue(name, out var v) ? Sdk.Values.Double(v, Describe(name)) : defaultValue;

    /// <summary>A <c>bool</c> option; <see langword="false"/> when absent.</summary>
    public bool GetBoolean(string name) => _values.TryGetValue(name, out var v) && Sdk.Values.Boolean(v, Describe(name));

    /// <summary>A <c>list</c> option's elements; empty when absent. A single value counts as a one-element list.</summary>
    public IReadOnlyList<JsonElement> GetList(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return [];
        }
        return v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : [v];
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();

    static string Describe(string name) => $"option '{name}'";
}
