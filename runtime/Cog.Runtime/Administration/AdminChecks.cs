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

    /// <summary>Field errors for a required name: blank, or holding white space or control characters.</summary>
    public static string? NameError(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return IdentityMessages.Blank;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                return IdentityMessages.InvalidFormat;
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
