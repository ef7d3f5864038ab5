using System.Collections.Immutable;
using System.Net;
using Cog.Language.Values;

namespace Cog.Api.Triggers;

/// <summary>Decodes <c>application/x-www-form-urlencoded</c> text (a form body or a query string) the way Cog 1.0's
/// web layer did (Plug's query decoding): <c>a=1&amp;b=2</c> → <c>{"a":"1","b":"2"}</c>; a repeated key keeps its last
/// value; <c>a[]=1&amp;a[]=2</c> → a list; <c>a[b]=1</c> → a nested object. Every value is a string.</summary>
/// <remarks>Pure; thread-safe.</remarks>
static class UrlEncodedForm
{
    /// <summary>Decodes <paramref name="text"/> (without a leading <c>?</c>).</summary>
    public static ObjectValue Decode(string text)
    {
        var root = new Node();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            if (key.Length > 0)
                Insert(root, Path(key), value);
        }
        return root.ToValue();
    }

    /// <summary><c>a[b][]</c> → <c>["a", "b", ""]</c>; a key whose brackets do not close is taken whole.</summary>
    static List<string> Path(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0)
            return [key];
        var parts = new List<string> { key[..open] };
        var at = open;
        while (at < key.Length && key[at] == '[')
        {
            var close = key.IndexOf(']', at + 1);
            if (close < 0)
                return [key];
            parts.Add(key[(at + 1)..close]);
            at = close + 1;
        }
        return at == key.Length ? parts : [key];
    }

    static void Insert(Node node, List<string> path, string value)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var name = path[i];
            var last = i == path.Count - 1;
            var appends = i + 1 < path.Count && path[i + 1].Length == 0;
            if (last)
            {
                node.Set(name, new StringValue(value));
                return;
            }
            if (appends)
            {
                if (node.Get(name) is not List<Value> list)
                    node.Set(name, list = []);
                list.Add(new StringValue(value));
                return;
            }
            if (node.Get(name) is not Node child)
                node.Set(name, child = new Node());
            node = child;
        }
    }

    /// <summary>An object being decoded: members in first-seen order; a member is a value, a list or a node.</summary>
    sealed class Node
    {
        readonly List<string> _order = [];
        readonly Dictionary<string, object> _members = new(StringComparer.Ordinal);

        public object? Get(string name) => _members.GetValueOrDefault(name);

        public void Set(string name, object member)
        {
            if (!_members.ContainsKey(name))
                _order.Add(name);
            _members[name] = member;
        }

        public ObjectValue ToValue()
        {
            var members = ImmutableArray.CreateBuilder<KeyValuePair<string, Value>>(_order.Count);
            foreach (var name in _order)
            {
                members.Add(new(name, _members[name] switch
                {
                    Node node => node.ToValue(),
                    List<Value> list => new ListValue([.. list]),
                    var value => (Value)value,
                }));
            }
            return new ObjectValue(members.MoveToImmutable());
        }
    }
}
