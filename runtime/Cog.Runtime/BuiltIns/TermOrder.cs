using Cog.Language.Values;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// The order in which <c>sort</c>, <c>min</c> and <c>max</c> compare values: Cog 1.0's Erlang term order over JSON.
/// Numbers (integers and floats by value) come first, then <c>false</c>, <c>null</c> and <c>true</c> (atoms, by
/// name), then objects (by size, then keys, then values in key order), then lists (element by element), then text
/// (ordinal).
/// </summary>
sealed class TermOrder : IComparer<Value>
{
    public static TermOrder Instance { get; } = new();

    public int Compare(Value? x, Value? y)
    {
        x ??= NullValue.Instance;
        y ??= NullValue.Instance;
        var rank = Rank(x).CompareTo(Rank(y));
        if (rank != 0)
        {
            return rank;
        }
        return (x, y) switch
        {
            (IntValue a, IntValue b) => a.Number.CompareTo(b.Number),
            (IntValue or FloatValue, IntValue or FloatValue) => Number(x).CompareTo(Number(y)),
            (StringValue a, StringValue b) => Math.Sign(string.CompareOrdinal(a.Text, b.Text)),
            (ListValue a, ListValue b) => CompareLists(a, b),
            (ObjectValue a, ObjectValue b) => CompareObjects(a, b),
            _ => string.CompareOrdinal(AtomName(x), AtomName(y)),
        };
    }

    static int Rank(Value value) => value switch
    {
        IntValue or FloatValue => 0,
        ObjectValue => 2,
        ListValue => 3,
        StringValue => 4,
        _ => 1, // null and booleans are atoms
    };

    static double Number(Value value) => value is IntValue i ? i.Number : ((FloatValue)value).Number;

    static string AtomName(Value value) => value switch
    {
        BoolValue b => b.Flag ? "true" : "false",
        _ => "nil",
    };

    int CompareLists(ListValue a, ListValue b)
    {
        var length = Math.Min(a.Items.Length, b.Items.Length);
        for (var i = 0; i < length; i++)
        {
            var order = Compare(a.Items[i], b.Items[i]);
            if (order != 0)
            {
                return order;
            }
        }
        return a.Items.Length.CompareTo(b.Items.Length);
    }

    int CompareObjects(ObjectValue a, ObjectValue b)
    {
        var size = a.Members.Length.CompareTo(b.Members.Length);
        if (size != 0)
        {
            return size;
        }
        var left = SortedByKey(a);
        var right = SortedByKey(b);
        for (var i = 0; i < left.Length; i++)
        {
            var key = string.CompareOrdinal(left[i].Key, right[i].Key);
            if (key != 0)
            {
                return Math.Sign(key);
            }
        }
        for (var i = 0; i < left.Length; i++)
        {
            var value = Compare(left[i].Value, right[i].Value);
            if (value != 0)
            {
                return value;
            }
        }
        return 0;
    }

    static KeyValuePair<string, Value>[] SortedByKey(ObjectValue value)
    {
        var members = value.Members.ToArray();
        Array.Sort(members, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return members;
    }
}
