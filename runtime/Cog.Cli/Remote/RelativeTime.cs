using System.Globalization;

namespace Cog.Cli.Remote;

/// <summary>The times cogctl's filters take (<c>audit list --since/--until</c>): an ISO 8601 date or time, passed on as
/// written, or a time ago — a whole number and a unit, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> or <c>w</c> (<c>90s</c>,
/// <c>30m</c>, <c>1h</c>, <c>2d</c>, <c>1w</c>) — turned into the UTC time that long before now.</summary>
static class RelativeTime
{
    /// <summary>The time to send for <paramref name="value"/>, or <see langword="null"/> when it is neither form.</summary>
    public static string? Parse(string value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length >= 2 && Unit(text[^1]) is { } unit
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count <= MaxCount(unit))
        {
            return Fields.FormatTime(now - unit * count);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) ? value : null;
    }

    static TimeSpan? Unit(char unit) => unit switch
    {
        's' => TimeSpan.FromSeconds(1),
        'm' => TimeSpan.FromMinutes(1),
        'h' => TimeSpan.FromHours(1),
        'd' => TimeSpan.FromDays(1),
        'w' => TimeSpan.FromDays(7),
        _ => null,
    };

    // No further back than a hundred years: beyond that the arithmetic, not the audit log, would give out.
    static long MaxCount(TimeSpan unit) => TimeSpan.FromDays(36_500).Ticks / unit.Ticks;
}
