using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Manifest.Yaml;

/// <summary>RFC 6901 JSON pointers as plain strings: <c>""</c> is the whole document, <c>/commands/deploy</c> a member.</summary>
static class JsonPointers
{
    /// <summary>The pointer of member or item <paramref name="segment"/> of the value at <paramref name="pointer"/>.</summary>
    public static string Append(string pointer, string segment)
    {
        if (segment.AsSpan().IndexOfAny('~', '/') < 0)
        {
            return pointer + "/" + segment;
        }
        return pointer + "/" + segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>The pointer of item <paramref name="index"/> of the list at <paramref name="pointer"/>.</summary>
    public static string Append(string pointer, int index) =>
        pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The unescaped segments of <paramref name="pointer"/>.</summary>
    public static List<string> Segments(string pointer)
    {
        var segments = new List<string>();
        if (pointer.Length == 0)
        {
            return segments;
        }
        var start = pointer[0] == '/' ? 1 : 0;
        var current = new StringBuilder();
        for (var i = start; i < pointer.Length; i++)
        {
            var c = pointer[i];
            if (c == '/')
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else if (c == '~' && i + 1 < pointer.Length && (pointer[i + 1] == '0' || pointer[i + 1] == '1'))
            {
                current.Append(pointer[i + 1] == '0' ? '~' : '/');
                i++;
            }
            else
            {
                current.Append(c);
            }
        }
        segments.Add(current.ToString());
        return segments;
    }

    /// <summary>The last segment of <paramref name="pointer"/>, or <c>""</c> for the whole document.</summary>
    public static string LastSegment(string pointer)
    {
        var segments = Segments(pointer);
        return segments.Count == 0 ? "" : segments[^1];
    }

    /// <summary>The pointer of the value containing the one at <paramref name="pointer"/>.</summary>
    public static string Parent(string pointer)
    {
        var slash = pointer.LastIndexOf('/');
        return slash <= 0 ? "" : pointer[..slash];
    }

    /// <summary>Finds the value at <paramref name="pointer"/> in <paramref name="root"/>.</summary>
    /// <returns>Whether the pointer leads to a value (which may be JSON null).</returns>
    public static bool TryResolve(JsonNode? root, string pointer, out JsonNode? value)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(segment, out var member):
                    current = member;
                    break;
                case JsonArray array when int.TryParse(segment, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    current = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }
        value = current;
        return true;
    }
}
