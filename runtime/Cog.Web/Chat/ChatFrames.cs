using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cog.Runtime.Chat;

namespace Cog.Web.Chat;

/// <summary>The JSON frames the server sends to a browser (docs/web-console.md, "Chat protocol").</summary>
static class ChatFrames
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary><c>{"type":"ready","user":{…},"rooms":[{"id","name","direct","messages":[message…]}]}</c>.</summary>
    public static byte[] Ready(ChatUser user, IReadOnlyList<(ChatRoom Room, IReadOnlyList<WebChatMessage> History)> rooms) => Write(w =>
    {
        w.WriteString("type", "ready");
        w.WriteStartObject("user");
        w.WriteString("username", user.Handle);
        w.WriteString("first_name", user.FirstName);
        w.WriteString("last_name", user.LastName);
        w.WriteEndObject();
        w.WriteStartArray("rooms");
        foreach (var (room, history) in rooms)
        {
            w.WriteStartObject();
            w.WriteString("id", room.Id);
            w.WriteString("name", room.Name);
            w.WriteBoolean("direct", room.IsDirect);
            w.WriteStartArray("messages");
            foreach (var entry in history)
            {
                w.WriteStartObject();
                WriteEntry(w, entry);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary><c>{"type":"message","id","room","author","from_cog","time","kind","html","thread","client_id"}</c>.</summary>
    public static byte[] Message(WebChatMessage entry) => Write(w =>
    {
        w.WriteString("type", "message");
        WriteEntry(w, entry);
    });

    /// <summary><c>{"type":"error","message","client_id"}</c>: a frame was refused (the connection stays open unless
    /// the server closes it right after).</summary>
    public static byte[] Error(string message, string? clientId = null) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("message", message);
        w.WriteString("client_id", clientId);
    });

    static void WriteEntry(Utf8JsonWriter w, WebChatMessage entry)
    {
        // A string, as when ids were a server's own sequence: the browser only compares them.
        w.WriteString("id", entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("room", entry.Room);
        w.WriteString("author", entry.Author);
        w.WriteBoolean("from_cog", entry.FromCog);
        w.WriteString("time", entry.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("kind", entry.Kind);
        w.WriteString("html", entry.Html);
        w.WriteString("thread", entry.Thread);
        w.WriteString("client_id", entry.ClientId);
    }

    static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
