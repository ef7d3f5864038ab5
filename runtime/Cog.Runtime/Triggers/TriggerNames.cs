namespace Cog.Runtime.Triggers;

/// <summary>Trigger names and ids: a name matches <c>^[A-Za-z0-9_\-.]+$</c>; an id is a UUID. The
/// API addresses a trigger by either.</summary>
public static class TriggerNames
{
    /// <summary>Whether <paramref name="name"/> is a valid trigger name.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
                return false;
        }
        return true;
    }

    /// <summary>Reads an id or name from a URL: a UUID (normalised to lower case), or a name; neither → false.</summary>
    internal static bool TryReadKey(string key, out string? id, out string? name)
    {
        (id, name) = (null, null);
        if (Guid.TryParseExact(key, "D", out var guid))
        {
            id = guid.ToString("D");
            return true;
        }
        if (!IsValid(key))
            return false;
        name = key;
        return true;
    }
}
