using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Infrastructure;

/// <summary>JSON conventions of the API: snake_case names (Cog 1.0's), and reading request bodies with a positioned
/// error instead of an exception.</summary>
public static class ApiJson
{
    /// <summary>Serializer options for request and response bodies.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>How request bodies are parsed: a key given twice in one object is an error (which of the two would
    /// count is otherwise up to each reader).</summary>
    static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>Parsing that keeps a key given twice; used only once every duplicate is known to lie where a reader of
    /// its own decides about it (a bundle manifest: <see cref="ParseDocument(ReadOnlyMemory{byte}, string?)"/>).</summary>
    static readonly JsonDocumentOptions DuplicatesKept = new() { AllowDuplicateProperties = true };

    /// <summary>Reads the body as a JSON document. On failure, the returned error is the answer to send: 400 with
    /// the line and position of bytes that are not UTF-8, a syntax error or a duplicate key; 413 when the body
    /// exceeds the route's limit.</summary>
    /// <param name="request">The request.</param>
    /// <param name="duplicatesAllowedUnder">A path (<c>$.bundle.config</c>) below which a key given twice is left to the
    /// reader of that value (the manifest loader decides about a manifest's duplicate keys, whichever way it arrives);
    /// everywhere else it is still a 400.</param>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadDocumentAsync(HttpRequest request, string? duplicatesAllowedUnder = null)
    {
        var (body, error) = await ReadBodyAsync(request);
        return error is null ? ParseDocument(body, duplicatesAllowedUnder) : (null, error);
    }

    /// <summary>Reads the whole body, which must be UTF-8 text (every body the API reads as text: JSON or a form). On
    /// failure, the returned error is the answer to send: 400 at the first byte that is not UTF-8, 413 when the body
    /// exceeds the route's limit.</summary>
    public static async Task<(byte[] Body, IResult? Error)> ReadBodyAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0;
            return ([], ApiResults.Errors(ApiMessages.BodyTooLarge(limit), StatusCodes.Status413PayloadTooLarge));
        }
        if (Utf8.IsValid(body))
            return (body, null);
        var (line, position) = PositionOfInvalidUtf8(body);
        return ([], ApiResults.Errors(ApiMessages.InvalidUtf8(line, position), StatusCodes.Status400BadRequest));
    }

    /// <summary>Parses a body read by <see cref="ReadBodyAsync"/>; on failure, the 400 to send.</summary>
    /// <param name="body">The body.</param>
    /// <param name="duplicatesAllowedUnder">See <see cref="ReadDocumentAsync"/>.</param>
    public static (JsonDocument? Document, IResult? Error) ParseDocument(ReadOnlyMemory<byte> body, string? duplicatesAllowedUnder = null)
    {
        try
        {
            return (JsonDocument.Parse(body, DocumentOptions), null);
        }
        catch (JsonException) when (duplicatesAllowedUnder is not null && FindDuplicateKey(body.Span, duplicatesAllowedUnder) is null
            && TryParse(body, DuplicatesKept) is { } kept)
        {
            return (kept, null);
        }
        catch (JsonException e)
        {
            var message = FindDuplicateKey(body.Span, null) is { } duplicate
                ? ApiMessages.DuplicateKey(duplicate.Key, duplicate.Path, duplicate.Line, duplicate.Position)
                : ApiMessages.InvalidJson(e.LineNumber, e.BytePositionInLine, FirstSentence(e.Message));
            return (null, ApiResults.Errors(message, StatusCodes.Status400BadRequest));
        }
    }

    /// <summary>Where the first key given twice in one object is, when the parser refused one (its exception names
    /// neither the object nor the position): the key, the object's path (<c>$.group</c>, <c>$.users[0]</c>), and the
    /// 0-based line and byte position of the second one. <see langword="null"/> when the body has no such key before
    /// its first syntax error.</summary>
    /// <param name="body">The body.</param>
    /// <param name="allowedUnder">A path whose objects (and their descendants') duplicates are not looked for, or <see langword="null"/>.</param>
    static (string Key, string Path, int Line, int Position)? FindDuplicateKey(ReadOnlySpan<byte> body, string? allowedUnder)
    {
        var reader = new Utf8JsonReader(body);
        var scopes = new Stack<Scope>();
        string? key = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        scopes.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        key = reader.GetString()!;
                        if (!scopes.Peek().Keys!.Add(key) && !IsUnder(scopes.Peek().Path, allowedUnder))
                        {
                            var (line, position) = LineAndPosition(body, (int)reader.TokenStartIndex);
                            return (key, scopes.Peek().Path, line, position);
                        }
                        break;
                    default:
                        // A value: the next element of an array, or the value of the last key of an object.
                        var path = !scopes.TryPeek(out var parent) ? "$"
                            : parent.Keys is null ? $"{parent.Path}[{parent.Elements++}]"
                            : $"{parent.Path}.{key}";
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                            scopes.Push(new Scope(path, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error came first: the parser's own message describes it.
        }
        return null;
    }

    static bool IsUnder(string path, string? root) =>
        root is not null && path.StartsWith(root, StringComparison.Ordinal)
        && (path.Length == root.Length || path[root.Length] is '.' or '[');

    static JsonDocument? TryParse(ReadOnlyMemory<byte> body, JsonDocumentOptions options)
    {
        try
        {
            return JsonDocument.Parse(body, options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An object (with the keys seen so far) or an array (with the elements seen so far) being read.</summary>
    sealed class Scope(string path, HashSet<string>? keys)
    {
        public string Path { get; } = path;

        public HashSet<string>? Keys { get; } = keys;

        public int Elements { get; set; }
    }

    /// <summary>The 0-based line and byte position in that line of the first byte of <paramref name="text"/> that does
    /// not start a valid UTF-8 sequence.</summary>
    static (int Line, int Position) PositionOfInvalidUtf8(ReadOnlySpan<byte> text)
    {
        var index = 0;
        while (index < text.Length && Rune.DecodeFromUtf8(text[index..], out _, out var length) == OperationStatus.Done)
            index += length;
        return LineAndPosition(text, index);
    }

    /// <summary>The 0-based line and byte position in that line of byte <paramref name="index"/>.</summary>
    static (int Line, int Position) LineAndPosition(ReadOnlySpan<byte> text, int index)
    {
        var before = text[..index];
        return (before.Count((byte)'\n'), index - (before.LastIndexOf((byte)'\n') + 1));
    }

    /// <summary>Reads the body and returns its member <paramref name="envelope"/> (Cog 1.0 wraps request bodies:
    /// <c>{"user": {...}}</c>); a missing member is a 422 naming it.</summary>
    /// <param name="request">The request.</param>
    /// <param name="envelope">The member's name.</param>
    /// <param name="duplicatesAllowedUnder">See <see cref="ReadDocumentAsync"/>.</param>
    public static async Task<(JsonElement Envelope, JsonDocument? Document, IResult? Error)> ReadEnvelopeAsync(HttpRequest request, string envelope,
        string? duplicatesAllowedUnder = null)
    {
        var (document, error) = await ReadDocumentAsync(request, duplicatesAllowedUnder);
        if (document is null)
            return (default, null, error);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(envelope, out var member))
        {
            document.Dispose();
            return (default, null, ApiResults.Errors(ApiMessages.MissingEnvelope(envelope)));
        }
        return (member, document, null);
    }

    /// <summary>System.Text.Json's message without the " Path: …" and " LineNumber: … | BytePositionInLine: …" it
    /// appends (the position is given separately).</summary>
    internal static string FirstSentence(string message)
    {
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        var line = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var end = path > 0 && (line < 0 || path < line) ? path : line;
        return end > 0 ? message[..end] : message;
    }
}
