using Cog.Language.Values;

namespace Cog.Runtime.BuiltIns;

/// <summary>Equality as <c>unique</c> sees it (Elixir's <c>Enum.uniq</c>): objects are equal whatever the order of
/// their members; an integer never equals a float.</summary>
sealed class StrictEquality : IEqualityComparer<Value>
{
    public static StrictEquality Instance { get; } = new();

    public bool Equals(Value? x, Value? y) => (x, y) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (ObjectValue a, ObjectValue b) => ObjectsEqual(a, b),
        (ListValue a, ListValue b) => a.Items.Length == b.Items.Length && a.Items.SequenceEqual(b.Items, this),
        _ => x.Equals(y),
    };

    public int GetHashCode(Value value) => value switch
    {
        // Member order must not matter: combine the members' hashes with an order-free sum.
        ObjectValue o => o.Members.Aggregate(o.Members.Length, (h, m) => unchecked(h + HashCode.Combine(m.Key, GetHashCode(m.Value)))),
        ListValue l => l.Items.Aggregate(l.Items.Length, (h, v) => HashCode.Combine(h, GetHashCode(v))),
        _ => value.GetHashCode(),
    };

    bool ObjectsEqual(ObjectValue a, ObjectValue b)
    {
        if (a.Members.Length != b.Members.Length)
        {
            return false;
        }
        foreach (var (key, value) in a.Members)
        {
            if (!b.TryGetMember(key, out var other) || !Equals(value, other))
            {
                return false;
            }
        }
        return true;
    }
}
