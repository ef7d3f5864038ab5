using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cog.Language.Values;

/// <summary>
/// A typed value as the languages see it: a literal argument, a variable bound from a JSON item,
/// an option value, or a rule literal. Values are immutable and compare structurally.
/// </summary>
/// <remarks>
/// The types mirror JSON: strings, integers, floats, booleans, lists, objects and null. Integers and
/// floats are different types (an integer never equals a float, as in the original). JSON null
/// appears only inside lists and objects: a variable bound to null is an error.
/// </remarks>
public abstract record Value
{
    // Values are shown to people (chat, audit); nothing embeds this JSON in HTML, so keep quotes,
    // apostrophes and non-ASCII text readable instead of \u-escaped.
    static readonly JsonWriterOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private protected Value()
    {
    }

    /// <summary>The text form used when a value is interpolated, shown or passed as text:
    /// strings as themselves, numbers and booleans as literals, lists and objects as compact JSON.</summary>
    public abstract string ToDisplayString();

    /// <summary>Writes the value as JSON.</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>The value as compact JSON text.</summary>
    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Converts a JSON element. Integral numbers within the range of <see cref="long"/> become
    /// <see cref="IntValue"/>; every other number becomes <see cref="FloatValue"/>.</summary>
    public static Value FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new StringValue(element.GetString()!),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? new IntValue(l) : new FloatValue(element.GetDouble()),
        JsonValueKind.True => BoolValue.True,
        JsonValueKind.False => BoolValue.False,
        JsonValueKind.Null => NullValue.Instance,
        JsonValueKind.Array => new ListValue([.. element.EnumerateArray().Select(FromJson)]),
        JsonValueKind.Object => new ObjectValue([.. element.EnumerateObject().Select(p => new KeyValuePair<string, Value>(p.Name, FromJson(p.Value)))]),
        _ => throw new ArgumentException($"Unsupported JSON value kind {element.ValueKind}.", nameof(element)),
    };
}

/// <summary>A text value.</summary>
public sealed record StringValue(string Text) : Value
{
    /// <inheritdoc/>
    public override string ToDisplayString() => Text;

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteStringValue(Text);
}

/// <summary>A 64-bit integer value.</summary>
public sealed record IntValue(long Number) : Value
{
    /// <inheritdoc/>
    public override string ToDisplayString() => Number.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteNumberValue(Number);
}

/// <summary>A double-precision floating-point value.</summary>
public sealed record FloatValue(double Number) : Value
{
    /// <inheritdoc/>
    /// <remarks>Integral floats keep a decimal point (<c>2.0</c>), as in Cog 1.0, so they never read as integers.</remarks>
    public override string ToDisplayString() => Format(Number);

    /// <summary>A float's text that always reads back as a float: <c>2</c> becomes <c>2.0</c>.</summary>
    internal static string Format(double number)
    {
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(number) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal) ? text + ".0" : text;
    }

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteNumberValue(Number);
}

/// <summary>A boolean value.</summary>
public sealed record BoolValue(bool Flag) : Value
{
    /// <summary><see langword="true"/>.</summary>
    public static BoolValue True { get; } = new(true);

    /// <summary><see langword="false"/>.</summary>
    public static BoolValue False { get; } = new(false);

    /// <inheritdoc/>
    public override string ToDisplayString() => Flag ? "true" : "false";

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteBooleanValue(Flag);
}

/// <summary>JSON null, found inside lists and objects.</summary>
public sealed record NullValue : Value
{
    NullValue()
    {
    }

    /// <summary>The only instance.</summary>
    public static NullValue Instance { get; } = new();

    /// <inheritdoc/>
    public override string ToDisplayString() => "null";

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteNullValue();
}

/// <summary>An ordered list of values.</summary>
public sealed record ListValue(ImmutableArray<Value> Items) : Value
{
    /// <inheritdoc/>
    public override string ToDisplayString() => ToJson();

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var item in Items)
        {
            item.WriteTo(writer);
        }
        writer.WriteEndArray();
    }

    /// <inheritdoc/>
    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items);

    /// <inheritdoc/>
    public override int GetHashCode() => Items.Aggregate(Items.Length, (h, v) => HashCode.Combine(h, v));
}

/// <summary>A JSON object: its members in document order.</summary>
public sealed record ObjectValue(ImmutableArray<KeyValuePair<string, Value>> Members) : Value
{
    /// <summary>Looks a member up by its exact (case-sensitive) name.</summary>
    public bool TryGetMember(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Value value)
    {
        foreach (var member in Members)
        {
            if (member.Key == name)
            {
                value = member.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <inheritdoc/>
    public override string ToDisplayString() => ToJson();

    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var member in Members)
        {
            writer.WritePropertyName(member.Key);
            member.Value.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    /// <inheritdoc/>
    public bool Equals(ObjectValue? other) => other is not null && Members.SequenceEqual(other.Members);

    /// <inheritdoc/>
    public override int GetHashCode() => Members.Aggregate(Members.Length, (h, m) => HashCode.Combine(h, m.Key, m.Value));
}
