using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Cog.Sdk;

/// <summary>The positional arguments of an invocation, bound and typed as the pipeline language typed them.</summary>
/// <remarks>
/// Each argument keeps its JSON type: <c>5</c> is a number, <c>"5"</c> a string, <c>true</c> a boolean, and a variable
/// bound to an object or list stays structured. The typed getters convert where the conversion is exact and throw
/// <see cref="ArgumentException"/> with a clear message otherwise, which fails the invocation with that message.
/// </remarks>
public sealed class CommandArguments : IReadOnlyList<JsonElement>
{
    readonly JsonElement[] _values;

    /// <summary>Creates the argument list (the relay does this; tests may too).</summary>
    public CommandArguments(IEnumerable<JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = [.. values.Select(v => v.Clone())];
    }

    /// <summary>No arguments.</summary>
    public static CommandArguments Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _values.Length;

    /// <inheritdoc/>
    public JsonElement this[int index] => _values[index];

    /// <summary>The argument as text: strings as they are, numbers and booleans as literals, objects and lists as JSON.</summary>
    public string GetText(int index) => Values.Text(_values[index]);

    /// <summary>The argument as a string; throws when it is not a string.</summary>
    public string GetString(int index) => Values.String(_values[index], Describe(index));

    /// <summary>The argument as an integer (an integer literal, or a string holding one).</summary>
    public long GetInt64(int index) => Values.Int64(_values[index], Describe(index));

    /// <summary>The argument as a number (a number literal, or a string holding one).</summary>
    public double GetDouble(int index) => Values.Double(_values[index], Describe(index));

    /// <summary>The argument as a boolean (<c>true</c>/<c>false</c>).</summary>
    public bool GetBoolean(int index) => Values.Boolean(_values[index], Describe(index));

    /// <summary>All arguments as text, joined with single spaces (what <c>echo</c> prints).</summary>
    public string JoinText() => string.Join(' ', _values.Select(Values.Text));

    /// <inheritdoc/>
    public IEnumerator<JsonElement> GetEnumerator() => ((IEnumerable<JsonElement>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();

    static string Describe(int index) => string.Create(CultureInfo.InvariantCulture, $"argument {index}");
}
