using System.Collections.Immutable;
using System.Text.Json;
using Cog.Sdk;
using Cog.Worker;
using Cog.Worker.Results;

namespace Cog.Relay.Execution.Executables;

/// <summary>What an executable's stdout said, once the protocol lines are taken out.</summary>
/// <param name="Lines">The retained lines: every line that is not a protocol tag, plus every line after <c>JSON</c>.</param>
/// <param name="IsJson">Whether a lone <c>JSON</c> line was seen.</param>
/// <param name="Aborted">Whether <c>COGCMD_ACTION: abort</c> was seen.</param>
/// <param name="Template">The template named by <c>COG_TEMPLATE:</c>, or <see langword="null"/>.</param>
sealed record ParsedOutput(ImmutableArray<string> Lines, bool IsJson, bool Aborted, string? Template);

/// <summary>Cog 1.0's stdout protocol for executables (go-relay's <c>output_parser_v1</c>).</summary>
/// <remarks>
/// <para>Stdout is split into lines after one trailing newline is removed. Until a line that is exactly <c>JSON</c>,
/// each line is matched against the tags: <c>COGCMD_DEBUG:</c>, <c>COGCMD_INFO:</c>, <c>COGCMD_WARN:</c>,
/// <c>COGCMD_ERR:</c> and <c>COGCMD_ERROR:</c> are logged at that level (the text trimmed of spaces; empty text is
/// not logged); <c>COGCMD_ACTION: abort</c> marks the output aborted (other actions are ignored);
/// <c>COG_TEMPLATE: name</c> names the template; other lines are retained. After <c>JSON</c> every line is retained,
/// tags included, and all retained lines (those before the marker too) must form one JSON value.</para>
/// <para>Pure apart from the log; thread-safe.</para>
/// </remarks>
static class OutputParser
{
    const string JsonMarker = "JSON";
    const string ActionTag = "COGCMD_ACTION:";
    const string TemplateTag = "COG_TEMPLATE:";
    const string LogTagPrefix = "COGCMD_";

    static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Splits <paramref name="stdout"/> into protocol lines, sending the log lines to <paramref name="log"/>.</summary>
    public static ParsedOutput Parse(string stdout, ICommandLog log)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(log);
        var lines = ImmutableArray.CreateBuilder<string>();
        if (stdout.Length == 0)
        {
            return new ParsedOutput(lines.ToImmutable(), false, false, null);
        }
        var text = stdout.AsSpan();
        if (text[^1] == '\n')
        {
            text = text[..^1];
        }
        var isJson = false;
        var aborted = false;
        string? template = null;
        while (true)
        {
            var end = text.IndexOf('\n');
            var line = end < 0 ? text : text[..end];
            if (isJson)
            {
                lines.Add(line.ToString());
            }
            else if (line.SequenceEqual(JsonMarker))
            {
                isJson = true;
            }
            else if (line.StartsWith(ActionTag, StringComparison.Ordinal))
            {
                aborted |= line[ActionTag.Length..].Trim(' ').SequenceEqual("abort");
            }
            else if (line.StartsWith(TemplateTag, StringComparison.Ordinal))
            {
                var name = line[TemplateTag.Length..].Trim(' ');
                template = name.Length == 0 ? null : name.ToString();
            }
            else if (!TryLog(line, log))
            {
                lines.Add(line.ToString());
            }
            if (end < 0)
            {
                break;
            }
            text = text[(end + 1)..];
        }
        return new ParsedOutput(lines.ToImmutable(), isJson, aborted, template);
    }

    /// <summary>The outcome of a command that exited with status 0 and printed <paramref name="output"/>.</summary>
    public static ExecutionOutcome ToOutcome(ParsedOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ImmutableArray<JsonElement> items = [];
        if (output.IsJson)
        {
            JsonElement body;
            try
            {
                // Cog 1.0 prepends the lines retained before the marker, so stray text there makes the JSON invalid.
                using var document = JsonDocument.Parse(string.Join('\n', output.Lines), DocumentOptions);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return ExecutionOutcome.Error(ExecutionErrors.InvalidJson);
            }
            switch (body.ValueKind)
            {
                case JsonValueKind.Object:
                    items = [body];
                    break;
                case JsonValueKind.Array:
                    var builder = ImmutableArray.CreateBuilder<JsonElement>(body.GetArrayLength());
                    foreach (var item in body.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Object)
                        {
                            return ExecutionOutcome.Error(ExecutionErrors.ItemNotAnObject(builder.Count, ResultConverter.Describe(item.ValueKind)));
                        }
                        builder.Add(item);
                    }
                    items = builder.MoveToImmutable();
                    break;
                case JsonValueKind.Null:
                    // Cog 1.0: a null body is no output, like a command that prints nothing.
                    break;
                default:
                    return ExecutionOutcome.Error(ExecutionErrors.ItemNotAnObject(0, ResultConverter.Describe(body.ValueKind)));
            }
        }
        else if (output.Lines.Length > 0)
        {
            items = [TextItem(output.Lines)];
        }
        if (output.Aborted)
        {
            // go-relay left the message empty; the reference recommends the command's text, which says why it stopped.
            return ExecutionOutcome.Abort(string.Join('\n', output.Lines).Trim(), output.Template);
        }
        return ExecutionOutcome.Ok(items, output.Template);
    }

    static JsonElement TextItem(ImmutableArray<string> lines)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("body");
            foreach (var line in lines)
            {
                writer.WriteStringValue(line);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    static bool TryLog(ReadOnlySpan<char> line, ICommandLog log)
    {
        if (!line.StartsWith(LogTagPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = line[LogTagPrefix.Length..];
        Action<string> write;
        int length;
        if (rest.StartsWith("DEBUG:", StringComparison.Ordinal))
        {
            (write, length) = (log.Debug, 6);
        }
        else if (rest.StartsWith("INFO:", StringComparison.Ordinal))
        {
            (write, length) = (log.Info, 5);
        }
        else if (rest.StartsWith("WARN:", StringComparison.Ordinal))
        {
            (write, length) = (log.Warn, 5);
        }
        else if (rest.StartsWith("ERR:", StringComparison.Ordinal))
        {
            (write, length) = (log.Error, 4);
        }
        else if (rest.StartsWith("ERROR:", StringComparison.Ordinal))
        {
            (write, length) = (log.Error, 6);
        }
        else
        {
            return false;
        }
        var message = rest[length..].Trim(' ');
        if (message.Length > 0)
        {
            write(message.ToString());
        }
        return true;
    }
}
