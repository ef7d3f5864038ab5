using System.Globalization;

namespace Cog.Cli.Remote;

/// <summary>Orders bundle versions by semantic version (major.minor.patch, a pre-release before its release);
/// text that is not a version sorts before every version, ordinally among itself.</summary>
sealed class SemanticVersion : IComparer<string>
{
    public static SemanticVersion Comparer { get; } = new();

    public int Compare(string? x, string? y)
    {
        var a = Parse(x);
        var b = Parse(y);
        if (a is null || b is null)
        {
            return a is null && b is null ? string.CompareOrdinal(x, y) : a is null ? -1 : 1;
        }
        for (var i = 0; i < 3; i++)
        {
            var c = a.Value.Numbers[i].CompareTo(b.Value.Numbers[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return (a.Value.PreRelease, b.Value.PreRelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (p, q) => string.CompareOrdinal(p, q),
        };
    }

    static (long[] Numbers, string? PreRelease)? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var core = text.Split('+')[0];
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        var pre = dash < 0 ? null : core[(dash + 1)..];
        var parts = (dash < 0 ? core : core[..dash]).Split('.');
        if (parts.Length is 0 or > 3)
        {
            return null;
        }
        var numbers = new long[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }
        return (numbers, pre);
    }
}
