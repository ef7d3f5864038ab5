using System.Globalization;
using System.Text.Json;
using Cog.Runtime.Chat;
using Microsoft.Extensions.Logging;

namespace Cog.Web.Chat;

/// <summary>Imports the chat history file a server kept before the history moved into the store: one JSON object per
/// line (the fields of a <c>message</c> frame). The file is read once, each room's newest <c>limit</c> messages are
/// appended to the store in their order, and the file is renamed <c>*.imported</c>, so the next start (or another
/// server) never imports it again.</summary>
/// <remarks>A line that cannot be read is logged and left out. The messages get new ids from the store.</remarks>
static class ChatHistoryImport
{
    /// <summary>What a file becomes once imported.</summary>
    public const string ImportedSuffix = ".imported";

    public static async Task ImportAsync(string path, IWebChatStore store, int limit, ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            return;
        var rooms = new Dictionary<string, Queue<WebChatMessage>>(StringComparer.Ordinal);
        var all = new List<WebChatMessage>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
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
                rooms[entry.Room] = room = new Queue<WebChatMessage>();
            room.Enqueue(entry);
            if (room.Count > limit)
                room.Dequeue();
            all.Add(entry);
        }
        var kept = all.Where(e => rooms[e.Room].Contains(e)).OrderBy(static e => e.Id).ToList();
        foreach (var entry in kept)
            await store.AppendAsync(entry, limit, cancellationToken).ConfigureAwait(false);
        var renamed = path + ImportedSuffix;
        File.Move(path, renamed, overwrite: true);
        WebChatLog.HistoryImported(logger, kept.Count, path, renamed);
    }

    /// <summary>A line of the file; its id was the server's sequence number (anything else sorts first).</summary>
    static WebChatMessage? Parse(string line)
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
            var sequence = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
            return new WebChatMessage(sequence, room, author, fromCog.GetBoolean(), time, kind, html, Text("thread"), Text("client_id"));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
