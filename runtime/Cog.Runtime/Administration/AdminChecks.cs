using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Validation and error mapping shared by the identity administrations.</summary>
static class AdminChecks
{
    /// <summary>Looks every distinct name of <paramref name="names"/> up once with <paramref name="find"/>: the entities
    /// found by name, and the names not found, in order (for an all-or-nothing change's UnknownNames error).</summary>
    public static async Task<(Dictionary<string, T> Found, List<string> Missing)> ResolveNamesAsync<T>(
        IEnumerable<string> names, Func<string, Task<T?>> find)
        where T : class
    {
        var found = new Dictionary<string, T>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in names)
        {
            if (found.ContainsKey(name) || missing.Contains(name, StringComparer.Ordinal))
                continue;
            if (await find(name).ConfigureAwait(false) is { } entity)
                found[name] = entity;
            else
                missing.Add(name);
        }
        return (found, missing);
    }

    /// <summary>The longest name of a user, group, role, relay or relay group.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Why <paramref name="value"/> cannot be the new name of a group, role, relay or relay group
    /// (<see langword="null"/> when it can): 1 to <see cref="MaxNameLength"/> characters, ASCII letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c>, starting with a letter or digit.</summary>
    /// <remarks>Checked when a name is given (create, rename), never when a stored one is used: names stored before
    /// the rule keep working. ASCII only, so that two different names never look alike (no look-alike letters,
    /// invisible or direction-changing characters).</remarks>
    public static string? NameError(string? value) => NameError(value, "", AdminMessages.NameFormat);

    /// <summary>Why <paramref name="value"/> cannot be a new username: the rule of <see cref="NameError(string?)"/>,
    /// and <c>@</c> and <c>+</c> are allowed too (an email address as username).</summary>
    public static string? UsernameError(string? value) => NameError(value, "@+", AdminMessages.UsernameFormat);

    static string? NameError(string? value, string alsoAllowed, string formatMessage)
    {
        if (string.IsNullOrWhiteSpace(value))
            return IdentityMessages.Blank;
        if (value.Length > MaxNameLength)
            return AdminMessages.NameTooLong(MaxNameLength);
        if (!char.IsAsciiLetterOrDigit(value[0]))
            return formatMessage;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.') && !alsoAllowed.Contains(c, StringComparison.Ordinal))
                return formatMessage;
        }
        return null;
    }

    /// <summary>A refused store write as an administrative error: NotFound stays NotFound, the rest are refusals.</summary>
    public static AdminError FromStore(StoreError error) => error.Kind == StoreErrorKind.NotFound
        ? AdminError.NotFound(error.Message)
        : AdminError.Refused(error.Message);

    /// <summary>Adds <paramref name="message"/> to <paramref name="field"/>'s errors.</summary>
    public static void Add(Dictionary<string, IReadOnlyList<string>> errors, string field, string? message)
    {
        if (message is null)
            return;
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }

    /// <summary>The distinct names in the order given, without blanks.</summary>
    public static List<string> Distinct(IReadOnlyList<string>? names)
    {
        var result = new List<string>();
        if (names is null)
            return result;
        foreach (var name in names)
        {
            if (!string.IsNullOrWhiteSpace(name) && !result.Contains(name, StringComparer.Ordinal))
                result.Add(name);
        }
        return result;
    }
}
