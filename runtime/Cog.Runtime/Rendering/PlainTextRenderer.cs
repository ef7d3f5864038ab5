using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Rendering;

/// <summary>Renders a pipeline's outcome as plain text, as a person reads it in a terminal (cogctl, the API's
/// <c>rendered</c> field). Stand-in until per-command templates exist (issue "Chat"): it follows Cog's <c>text</c>
/// fallback — an item's <c>body</c> lines when it has a list or string <c>body</c>, else the item as indented JSON — and
/// Cog's texts for failures.</summary>
/// <remarks>Pure; thread-safe.</remarks>
public static class PlainTextRenderer
{
    /// <summary>The text for <paramref name="outcome"/>.</summary>
    public static string Render(PipelineOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status is not PipelineStatus.Succeeded)
            return outcome.Message ?? outcome.Status.ToString();
        var text = new StringBuilder();
        foreach (var item in outcome.Items)
        {
            if (text.Length > 0)
                text.Append('\n');
            AppendItem(text, item);
        }
        return text.ToString();
    }

    static void AppendItem(StringBuilder text, Value item)
    {
        if (item is ObjectValue obj && obj.TryGetMember("body", out var body))
        {
            switch (body)
            {
                case StringValue s:
                    text.Append(s.Text);
                    return;
                case ListValue list:
                    for (var i = 0; i < list.Items.Length; i++)
                    {
                        if (i > 0)
                            text.Append('\n');
                        text.Append(list.Items[i] is StringValue line ? line.Text : list.Items[i].ToDisplayString());
                    }
                    return;
            }
        }
        text.Append(Indented(item));
    }

    static string Indented(Value value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, IndentedJson))
            value.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static readonly JsonWriterOptions IndentedJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
