namespace Cog.Runtime.Administration;

/// <summary>Orders bundle version strings as semantic versions (<c>1.10.0</c> after <c>1.9.2</c>; a pre-release before
/// its release), so that "enable the highest version" means what cogctl meant.</summary>
sealed class VersionOrder : IComparer<string>
{
    public static VersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        var (xCore, xPre) = Split(x);
        var (yCore, yPre) = Split(y);
        var xParts = xCore.Split('.');
        var yParts = yCore.Split('.');
        for (var i = 0; i < Math.Max(xParts.Length, yParts.Length); i++)
        {
            var a = i < xParts.Length ? xParts[i] : "0";
            var b = i < yParts.Length ? yParts[i] : "0";
            var order = long.TryParse(a, out var an) && long.TryParse(b, out var bn) ? an.CompareTo(bn) : string.CompareOrdinal(a, b);
            if (order != 0)
                return order;
        }
        if (xPre.Length == 0 || yPre.Length == 0)
            return yPre.Length.CompareTo(xPre.Length) is var release and not 0 ? Math.Sign(release) : string.CompareOrdinal(x, y);
        var pre = string.CompareOrdinal(xPre, yPre);
        return pre != 0 ? pre : string.CompareOrdinal(x, y);
    }

    static (string Core, string Prerelease) Split(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
            version = version[..plus];
        var dash = version.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 ? (version[..dash], version[(dash + 1)..]) : (version, "");
    }
}
