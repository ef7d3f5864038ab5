using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Cog.Web.Chat;

/// <summary>Keeps the web chat rooms' recent messages across restarts, in one file of the server's data directory: one
/// JSON object per line (the fields of a <c>message</c> frame), appended as messages are shown.</summary>
/// <remarks>
/// <para>Why a file and not the store: the web chat's rooms live in the server that holds the browsers' connections
/// (every message is shown by that server, from its memory), so their history is that server's too, like its log; the
/// file is what lets a restart pick it up where it was.</para>
/// <para>Bounded: loading keeps the last <c>limit</c> entries of each room and rewrites the file with only those, and
/// after every <c>10 × limit</c> appended lines the file is rewritten the same way from the rooms' current history, so
/// it never holds more than the retained entries and ten rooms' worth more.</para>
/// <para>A failure to write is logged and leaves the chat working (the history is a convenience); a line that cannot be
/// read is logged and left out. Thread-safe.</para>
/// </remarks>
sealed class ChatHistoryFile(string path, int limit, ILogger logger)
{
    readonly Lock _lock = new();
    int _appended;

    /// <summary>The kept entries, oldest first, at most <c>limit</c> per room; the file is rewritten with exactly these.</summary>
    public List<WebChatEntry> Load()
    {
        var rooms = new Dictionary<string, Queue<WebChatEntry>>(StringComparer.Ordinal);
        var all = new List<WebChatEntry>();
        if (File.Exists(path))
        {
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (line.Length == 0)
                    continue;
                if (Parse(line) is not { } entry)
                {
                    WebChatLog.HistoryLineSkipped(logger, path, number);
                    continue;
                }
                if (!rooms.TryGetValue(entry.Room, out var room))
                    rooms[entry.Room] = room = new Queue<WebChatEntry>();
                room.Enqueue(entry);
                if (room.Count > limit)
                    room.Dequeue();
                all.Add(entry);
            }
        }
        var kept = all.Where(e => rooms[e.Room].Contains(e)).ToList();
        lock (_lock)
            Rewrite(kept);
        return kept;
    }

    /// <summary>Appends <paramref name="entry"/>; every <c>10 × limit</c> appends, rewrites the file with
    /// <paramref name="retained"/> (the rooms' current history) instead.</summary>
    public void Append(WebChatEntry entry, Func<IEnumerable<WebChatEntry>> retained)
    {
        lock (_lock)
        {
            if (++_appended >= 10 * limit)
            {
                Rewrite([.. retained()]);
                return;
            }
            try
            {
                File.AppendAllText(path, Line(entry));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WebChatLog.HistoryNotWritten(logger, path, e);
            }
        }
    }

    /// <summary>Replaces the file's content with <paramref name="entries"/>. The caller holds the lock.</summary>
    void Rewrite(IReadOnlyCollection<WebChatEntry> entries)
    {
        _appended = 0;
        var text = new StringBuilder();
        foreach (var entry in entries.OrderBy(static e => Sequence(e.Id)))
            text.Append(Line(entry));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            // Written beside it, then moved over it: a crash mid-write leaves the old file whole.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, text.ToString());
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WebChatLog.HistoryNotWritten(logger, path, e);
        }
    }

    /// <summary>An entry id's sequence number (ids are sequence numbers; anything else sorts first).</summary>
    public static long Sequence(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    static string Line(WebChatEntry entry) => Encoding.UTF8.GetString(ChatFrames.Entry(entry)) + "\n";

    static WebChatEntry? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Text("id") is not { } id || Text("room") is not { } room || Text("author") is not { } author || Text("kind") is not { } kind
                || Text("html") is not { } html || !root.TryGetProperty("from_cog", out var fromCog) || fromCog.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !DateTimeOffset.TryParse(Text("time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return null;
            }
            return new WebChatEntry(id, room, author, fromCog.GetBoolean(), time, kind, html, Text("thread"), Text("client_id"));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
