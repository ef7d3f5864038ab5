using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Cog.Contracts.Relays;

/// <summary>Writes and reads the messages of the relay protocol (docs/protocol.md): UTF-8 JSON objects that start with
/// <c>"v"</c> (protocol version) and <c>"type"</c>.</summary>
/// <remarks>
/// Reading never throws on bad input: every malformed, truncated, oversized, unknown-version, wrong-type or invalid
/// payload gives a <see cref="ProtocolReadResult{T}"/> with a one-sentence error for the log. Unknown fields are
/// ignored (so a newer peer may add fields within a version). Thread-safe.
/// </remarks>
public static class ProtocolSerializer
{
    /// <summary>The protocol version this library writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The largest payload read by default: 8 MiB (a result may carry up to 4 MiB of command output).</summary>
    public const int DefaultMaxPayloadBytes = 8 * 1024 * 1024;

    internal const int MaxDepth = 64;

    /// <summary>The protocol versions this library reads.</summary>
    public static ImmutableArray<int> SupportedVersions { get; } = [CurrentVersion];

    static readonly string SupportedText = string.Join(", ", SupportedVersions);

    static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Only what JSON requires is escaped (quotes, backslashes, control characters): the payloads are never
    /// embedded in HTML, and <c>'</c> or <c>é</c> should read as themselves in a broker's message log.</summary>
    static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = MaxDepth,
    };

    /// <summary>The payload of <paramref name="message"/>: compact UTF-8 JSON.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The message holds a default <see cref="JsonElement"/> or a default
    /// immutable array (a bug in the caller).</exception>
    public static byte[] Serialize<T>(T message)
        where T : ProtocolMessage
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            JsonSerializer.Serialize(writer, message, TypeInfo<T>());
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload as a message of type <typeparamref name="T"/>.</summary>
    /// <param name="payload">The MQTT payload.</param>
    /// <param name="maxPayloadBytes">The largest payload accepted; larger ones are rejected unread.</param>
    /// <returns>The message, or the reason the payload is not one. Never throws for bad input.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPayloadBytes"/> is not positive.</exception>
    public static ProtocolReadResult<T> TryDeserialize<T>(ReadOnlySpan<byte> payload, int maxPayloadBytes = DefaultMaxPayloadBytes)
        where T : ProtocolMessage
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPayloadBytes);
        var typeInfo = TypeInfo<T>();
        var expected = MessageTypeOf(typeof(T));

        if (payload.IsEmpty)
            return ProtocolReadResult<T>.Failure(ProtocolErrorKind.Size, ProtocolErrors.Empty);
        if (payload.Length > maxPayloadBytes)
            return ProtocolReadResult<T>.Failure(ProtocolErrorKind.Size, ProtocolErrors.TooLarge(payload.Length, maxPayloadBytes));
        var invalidAt = FindInvalidUtf8(payload);
        if (invalidAt >= 0)
            return ProtocolReadResult<T>.Failure(ProtocolErrorKind.MalformedJson, ProtocolErrors.InvalidUtf8(invalidAt));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            var error = e is { LineNumber: { } line, BytePositionInLine: { } position }
                ? ProtocolErrors.MalformedJson(line + 1, position + 1, Describe(e))
                : ProtocolErrors.MalformedJson(Describe(e));
            return ProtocolReadResult<T>.Failure(ProtocolErrorKind.MalformedJson, error);
        }

        using (document)
        {
            var root = document.RootElement;
            var header = CheckHeader(root, expected);
            if (header is { } failure)
                return ProtocolReadResult<T>.Failure(failure.Kind, failure.Message);

            if (ShapeChecker.CheckObject(root, typeInfo, "$") is { } shape)
            {
                var error = shape.Detail is null
                    ? ProtocolErrors.MissingField(expected, shape.Path)
                    : ProtocolErrors.InvalidField(expected, shape.Path, shape.Detail);
                return ProtocolReadResult<T>.Failure(ProtocolErrorKind.InvalidMessage, error);
            }

            T? message;
            try
            {
                message = root.Deserialize(typeInfo);
            }
            catch (JsonException e)
            {
                return ProtocolReadResult<T>.Failure(ProtocolErrorKind.InvalidMessage, ProtocolErrors.InvalidField(expected, e.Path ?? "$", Describe(e)));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
            {
                return ProtocolReadResult<T>.Failure(ProtocolErrorKind.InvalidMessage, ProtocolErrors.InvalidField(expected, "$", e.Message));
            }
            if (message is null)
                return ProtocolReadResult<T>.Failure(ProtocolErrorKind.MalformedJson, ProtocolErrors.NotAnObject("null"));

            var invalid = ProtocolValidator.Validate(message);
            return invalid is { } problem
                ? ProtocolReadResult<T>.Failure(ProtocolErrorKind.InvalidMessage, ProtocolErrors.InvalidField(expected, problem.Path, problem.Detail))
                : ProtocolReadResult<T>.Success(message);
        }
    }

    static (ProtocolErrorKind Kind, string Message)? CheckHeader(JsonElement root, string expected)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return (ProtocolErrorKind.MalformedJson, ProtocolErrors.NotAnObject(KindName(root.ValueKind)));

        if (!root.TryGetProperty("v", out var version))
            return (ProtocolErrorKind.UnsupportedVersion, ProtocolErrors.MissingVersion(SupportedText));
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || !SupportedVersions.Contains(number))
            return (ProtocolErrorKind.UnsupportedVersion, ProtocolErrors.UnsupportedVersion(ProtocolErrors.Excerpt(version.GetRawText()), SupportedText));

        if (!root.TryGetProperty("type", out var type))
            return (ProtocolErrorKind.WrongType, ProtocolErrors.MissingType(expected));
        if (type.ValueKind != JsonValueKind.String)
            return (ProtocolErrorKind.WrongType, ProtocolErrors.WrongType(ProtocolErrors.Excerpt(type.GetRawText()), expected));
        if (!type.ValueEquals(expected))
            return (ProtocolErrorKind.WrongType, ProtocolErrors.WrongType($"'{ProtocolErrors.Excerpt(type.GetString()!)}'", expected));
        return null;
    }

    static JsonTypeInfo<T> TypeInfo<T>()
        where T : ProtocolMessage =>
        ProtocolJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new ArgumentException($"{typeof(T).Name} is not a message of the relay protocol.", nameof(T));

    static string MessageTypeOf(Type type) =>
        type == typeof(RelayStatus) ? MessageTypes.Status
        : type == typeof(BundleAnnouncement) ? MessageTypes.Announce
        : type == typeof(BundleAssignments) ? MessageTypes.Assignments
        : type == typeof(InvocationRequest) ? MessageTypes.Invocation
        : type == typeof(InvocationAck) ? MessageTypes.Ack
        : type == typeof(InvocationResult) ? MessageTypes.Result
        : type == typeof(InvocationCancel) ? MessageTypes.Cancel
        : type == typeof(InvocationReceipt) ? MessageTypes.Receipt
        : throw new ArgumentException($"{type.Name} is not a message of the relay protocol.", nameof(type));

    /// <summary>The offset of the first byte that is not valid UTF-8, or -1.</summary>
    static int FindInvalidUtf8(ReadOnlySpan<byte> payload)
    {
        if (Utf8.IsValid(payload))
            return -1;
        var buffer = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(payload[offset..], buffer, out var read, out _, replaceInvalidSequences: false);
                offset += read;
                if (status != OperationStatus.DestinationTooSmall)
                    return offset;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The exception's message without the path and position suffix the serializer appends (they are
    /// reported separately).</summary>
    static string Describe(JsonException exception)
    {
        var text = exception.Message;
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
                text = text[..at];
        }
        return text.Trim();
    }

    static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
