using System.Collections.Immutable;
using System.Text;
using Cog.Language.Values;

namespace Cog.Runtime.BuiltIns;

/// <summary>Paths into items: <c>a.b.c</c>, and for <c>filter</c> quoted segments that contain dots (<c>a."b.c".d</c>).</summary>
static class ValuePath
{
    /// <summary>Splits on every dot, as <c>count</c>, <c>min</c> and <c>max</c> do (Cog 1.0's <c>String.split(path, ".")</c>).</summary>
    public static ImmutableArray<string> Dotted(string path) => [.. path.Split('.')];

    /// <summary>Splits on dots outside quotes; a segment in <c>"…"</c> or <c>'…'</c> keeps its dots and loses its
    /// quotes; empty segments are dropped. (Cog 1.0 only split on the dots next to quotes once the path had a quote, so
    /// <c>a.b."c.d"</c> looked for a key <c>a.b</c>; here it is three segments.)</summary>
    public static ImmutableArray<string> Quoted(string path)
    {
        var segments = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        char quote = '\0';
        foreach (var c in path)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '.')
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }
        }
        Flush();
        return segments.ToImmutable();

        void Flush()
        {
            if (current.Length > 0)
            {
                segments.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>The value at <paramref name="path"/> in <paramref name="item"/>, or <see langword="null"/> when a key
    /// is missing, a step is not an object, or the value is JSON null (Elixir's <c>get_in</c>).</summary>
    public static Value? Get(Value item, IReadOnlyList<string> path)
    {
        var current = item;
        foreach (var key in path)
        {
            if (current is not ObjectValue obj || !obj.TryGetMember(key, out var next))
            {
                return null;
            }
            current = next;
        }
        return current is NullValue ? null : current;
    }
}
