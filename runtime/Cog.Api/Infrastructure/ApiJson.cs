using System.Text.Json;
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

    /// <summary>Reads the body as a JSON document. On failure, the returned error is the answer to send: 400 with
    /// the line and position of a syntax error, 413 when the body exceeds the route's limit.</summary>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadDocumentAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            return (document, null);
        }
        catch (JsonException e)
        {
            return (null, ApiResults.Errors(ApiMessages.InvalidJson(e.LineNumber, e.BytePositionInLine, FirstSentence(e.Message)), StatusCodes.Status400BadRequest));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0;
            return (null, ApiResults.Errors(ApiMessages.BodyTooLarge(limit), StatusCodes.Status413PayloadTooLarge));
        }
    }

    /// <summary>Reads the body and returns its member <paramref name="envelope"/> (Cog 1.0 wraps request bodies:
    /// <c>{"user": {...}}</c>); a missing member is a 422 naming it.</summary>
    public static async Task<(JsonElement Envelope, JsonDocument? Document, IResult? Error)> ReadEnvelopeAsync(HttpRequest request, string envelope)
    {
        var (document, error) = await ReadDocumentAsync(request);
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
