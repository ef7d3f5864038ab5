using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Language.Text;

namespace Cog.Cli.Output;

/// <summary>Writes the documented <c>--json</c> shapes (docs/cogctl.md): one compact JSON document and a newline.</summary>
static class JsonOutput
{
    static readonly JsonWriterOptions Options = new()
    {
        // Chat text is full of characters the default encoder escapes ('<', '>', '&', '+', non-ASCII);
        // the output is never embedded in HTML, so keep it readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes a document built by <paramref name="write"/>.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
    }

    /// <summary>The failure shape shared by every offline command:
    /// <c>{"ok":false,"error":{"message":"...","line":1,"column":7}}</c>.</summary>
    public static void WriteFailure(TextWriter output, LanguageError error) =>
        Write(output, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", false);
            w.WritePropertyName("error");
            WriteError(w, error.Message, error.Position.Line, error.Position.Column);
            w.WriteEndObject();
        });

    /// <summary>Writes one error object: message, line and column.</summary>
    public static void WriteError(Utf8JsonWriter w, string message, int line, int column)
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteNumber("line", line);
        w.WriteNumber("column", column);
        w.WriteEndObject();
    }

    static readonly JsonSerializerOptions NodeOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a JSON node (the content of a server envelope) compactly on one line; <c>null</c> for none.</summary>
    public static void WriteNode(TextWriter output, JsonNode? node) =>
        output.WriteLine(node is null ? "null" : node.ToJsonString(NodeOptions));
}
