using System.Globalization;
using System.Text.Json.Nodes;

namespace Cog.Manifest;

/// <summary>Manifest durations: a whole number of seconds, or text such as <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c>.</summary>
static class Durations
{
    /// <summary>Reads a duration the schema has accepted; <see langword="null"/> when it is not one.</summary>
    public static TimeSpan? Parse(JsonNode? value)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }
        if (scalar.TryGetValue<long>(out var seconds))
        {
            return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        }
        return scalar.TryGetValue<string>(out var text) ? Parse(text) : null;
    }

    /// <summary>Reads <c>[Nh][Nm][Ns]</c> (at least one part, in that order); <see langword="null"/> when it is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var total = TimeSpan.Zero;
        var i = 0;
        var lastUnit = -1;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || i == text.Length)
            {
                return null;
            }
            var unit = text[i] switch { 'h' => 0, 'm' => 1, 's' => 2, _ => -1 };
            if (unit <= lastUnit || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return null;
            }
            try
            {
                total += unit switch { 0 => TimeSpan.FromHours(amount), 1 => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromSeconds(amount) };
            }
            catch (OverflowException)
            {
                return null;
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
            lastUnit = unit;
            i++;
        }
        return total > TimeSpan.Zero ? total : null;
    }
}
