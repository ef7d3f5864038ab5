using System.Text;

namespace Cog.Runtime.Slack.Rendering;

/// <summary>Cuts long mrkdwn into pieces of at most a given length on line boundaries: a piece that
/// would leave a <c>```</c> fence open is closed with a fence, and the next piece reopens it, so every piece renders as
/// its own well-formed message. A single line longer than a piece is cut inside the line.</summary>
/// <remarks>Pure.</remarks>
static class MrkdwnSplitter
{
    const string Fence = "```";

    /// <summary>The pieces of <paramref name="text"/>, each at most <paramref name="limit"/> characters.</summary>
    public static List<string> Split(string text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 16);
        var pieces = new List<string>();
        if (text.Length <= limit)
        {
            if (text.Length > 0)
                pieces.Add(text);
            return pieces;
        }
        // Room kept for the closing fence ("\n```") a piece may need.
        var budget = limit - (Fence.Length + 1);
        var current = new StringBuilder(limit);
        var inFence = false;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
                end = text.Length;
            var line = text.AsSpan(start, end - start);
            start = end + 1;
            var toggles = CountFences(line) % 2 == 1;
            while (true)
            {
                var separator = current.Length > 0 ? 1 : 0;
                if (current.Length + separator + line.Length <= budget)
                {
                    if (separator == 1)
                        current.Append('\n');
                    current.Append(line);
                    break;
                }
                if (current.Length > (inFence ? Fence.Length : 0))
                {
                    Flush(pieces, current, inFence);
                    continue;
                }
                // The line alone does not fit in an empty piece: cut it, preferably at a space.
                var room = budget - current.Length - separator;
                var cut = line[..room].LastIndexOf(' ');
                cut = cut > room / 2 ? cut + 1 : room;
                if (separator == 1)
                    current.Append('\n');
                current.Append(line[..cut]);
                line = line[cut..];
                Flush(pieces, current, inFence);
            }
            if (toggles)
                inFence = !inFence;
        }
        if (current.Length > (inFence ? Fence.Length : 0))
            pieces.Add(current.ToString());
        return pieces;
    }

    static void Flush(List<string> pieces, StringBuilder current, bool inFence)
    {
        if (inFence)
            current.Append('\n').Append(Fence);
        pieces.Add(current.ToString());
        current.Clear();
        if (inFence)
            current.Append(Fence);
    }

    static int CountFences(ReadOnlySpan<char> line)
    {
        var count = 0;
        for (var i = line.IndexOf(Fence, StringComparison.Ordinal); i >= 0;)
        {
            count++;
            var next = line[(i + Fence.Length)..].IndexOf(Fence, StringComparison.Ordinal);
            if (next < 0)
                break;
            i += Fence.Length + next;
        }
        return count;
    }
}
