using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cog.Language.Values;
using Fluid.Values;
using CogValue = Cog.Language.Values.Value;
using CogString = Cog.Language.Values.StringValue;
using CogObject = Cog.Language.Values.ObjectValue;
using FluidString = Fluid.Values.StringValue;

namespace Cog.Runtime.Templates;

/// <summary>Cog's values as Liquid values and back: objects keep their member order (a table's default columns), numbers
/// become Liquid numbers, <c>null</c> becomes <c>nil</c>.</summary>
/// <remarks>Objects are wrapped, not copied: members are converted when a template reads them. Pure; thread-safe.</remarks>
static class TemplateValues
{
    /// <summary>The Liquid value of <paramref name="value"/>.</summary>
    public static FluidValue ToFluid(CogValue value) => value switch
    {
        CogString s => FluidString.Create(s.Text),
        IntValue i => NumberValue.Create(i.Number),
        FloatValue f => double.IsFinite(f.Number) && Math.Abs(f.Number) < 7.9e28 ? NumberValue.Create((decimal)f.Number) : FluidString.Create(f.ToDisplayString()),
        BoolValue b => BooleanValue.Create(b.Flag),
        ListValue list => ToFluid(list),
        CogObject obj => new DictionaryValue(new ObjectIndexable(obj)),
        _ => NilValue.Instance,
    };

    static ArrayValue ToFluid(ListValue list)
    {
        var items = new FluidValue[list.Items.Length];
        for (var i = 0; i < items.Length; i++)
            items[i] = ToFluid(list.Items[i]);
        return new ArrayValue(items);
    }

    /// <summary>The Cog value of a Liquid value: Cog data read back as it was given, values a template built converted
    /// (whole numbers become integers).</summary>
    public static CogValue ToCog(FluidValue value)
    {
        switch (value)
        {
            case NilValue or EmptyValue or BlankValue:
                return NullValue.Instance;
            case BooleanValue b:
                return b.ToBooleanValue() ? BoolValue.True : BoolValue.False;
            case NumberValue n:
                var number = n.ToNumberValue();
                return decimal.Truncate(number) == number && number is >= long.MinValue and <= long.MaxValue
                    ? new IntValue((long)number)
                    : new FloatValue((double)number);
            case ArrayValue array:
                var items = ImmutableArray.CreateBuilder<CogValue>(array.Values.Count);
                foreach (var item in array.Values)
                    items.Add(ToCog(item));
                return new ListValue(items.MoveToImmutable());
            case DictionaryValue dictionary:
                if (dictionary.ToObjectValue() is ObjectIndexable wrapped)
                    return wrapped.Source;
                if (dictionary.ToObjectValue() is IFluidIndexable indexable)
                {
                    var members = ImmutableArray.CreateBuilder<KeyValuePair<string, CogValue>>(indexable.Count);
                    foreach (var key in indexable.Keys)
                        members.Add(new(key, indexable.TryGetValue(key, out var member) ? ToCog(member) : NullValue.Instance));
                    return new CogObject(members.ToImmutable());
                }
                return new CogString(value.ToStringValue());
            default:
                return new CogString(value.ToStringValue());
        }
    }

    /// <summary>The text of a value as a template shows it in a table cell, a list or a join: text as is, numbers and
    /// booleans as written, <c>nil</c> as nothing, lists as their items joined by <c>, </c>, objects as compact JSON.</summary>
    public static string Text(FluidValue value) => value switch
    {
        NilValue or EmptyValue or BlankValue => "",
        ArrayValue or DictionaryValue => Text(ToCog(value)),
        _ => value.ToStringValue(),
    };

    /// <summary>The text of a Cog value, as <see cref="Text(FluidValue)"/>.</summary>
    public static string Text(CogValue value) => value switch
    {
        NullValue => "",
        ListValue list => string.Join(", ", list.Items.Select(Text)),
        _ => value.ToDisplayString(),
    };

    /// <summary><paramref name="value"/> as indented JSON (non-ASCII text kept as is).</summary>
    public static string PrettyJson(CogValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, IndentedJson))
            value.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The value at <paramref name="path"/> (member names separated by dots; a number indexes a list, a name applied to a list reads it from each item), or
    /// <see langword="null"/> when there is none.</summary>
    public static CogValue? At(CogValue value, string path)
    {
        if (path.Length == 0)
            return value;
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var segment = dot < 0 ? path : path[..dot];
        var rest = dot < 0 ? "" : path[(dot + 1)..];
        switch (value)
        {
            case CogObject obj when obj.TryGetMember(segment, out var member):
                return At(member, rest);
            case ListValue list when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index):
                return index < list.Items.Length ? At(list.Items[index], rest) : null;
            case ListValue list:
                // A name applied to a list reads it from every item: "groups.name" is the list of the groups' names.
                var items = ImmutableArray.CreateBuilder<CogValue>(list.Items.Length);
                foreach (var item in list.Items)
                {
                    if (At(item, path) is { } found)
                        items.Add(found);
                }
                return new ListValue(items.ToImmutable());
            default:
                return null;
        }
    }

    static readonly JsonWriterOptions IndentedJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A Cog object seen from Liquid, members in order, converted on first read.</summary>
    sealed class ObjectIndexable(CogObject source) : IFluidIndexable
    {
        public CogObject Source { get; } = source;

        public int Count => Source.Members.Length;

        public IEnumerable<string> Keys
        {
            get
            {
                foreach (var member in Source.Members)
                    yield return member.Key;
            }
        }

        public bool TryGetValue(string name, out FluidValue value)
        {
            if (Source.TryGetMember(name, out var member))
            {
                value = ToFluid(member);
                return true;
            }
            value = NilValue.Instance;
            return false;
        }
    }
}
