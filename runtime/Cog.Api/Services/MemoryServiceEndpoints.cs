using System.Text.Json.Nodes;
using Cog.Api.Infrastructure;
using Cog.Runtime.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Services;

/// <summary>Cog 1.0's memory service, which commands reach at <c>$COG_SERVICES_ROOT/v1/services/memory/1.0.0/:key</c>
/// with <c>Authorization: pipeline $COG_SERVICE_TOKEN</c> (operable/cog web/controllers/v1/memory_service_controller.ex).</summary>
/// <remarks>
/// <para>Needs <see cref="CommandServices"/> in the host's services. No user token: the pipeline token alone admits
/// (a missing or malformed header is 401 with no body, an unknown, revoked or expired token 401
/// <c>{"error":"unknown token"}</c>, as Cog 1.0).</para>
/// <para><c>GET</c> answers the value itself (404 <c>{"error":"key not found"}</c>); <c>PUT</c> stores the body (any
/// JSON) and answers it; <c>POST</c> <c>{"op":"accum"|"join","value":V}</c> answers the new list (422
/// <c>{"error":"Must use lists for the join operation"}</c>); <c>DELETE</c> answers the removed value. Where Cog 1.0
/// answered 500 (deleting an unknown key, an unknown <c>op</c>, a body without <c>op</c>/<c>value</c>), this answers
/// 404 <c>{"error":"key not found"}</c> and 422 naming the expected body; a pipeline over its memory limit gets 413.
/// A body that is not JSON gets the API's 400 with its position (<see cref="ApiJson.ReadDocumentAsync"/>).</para>
/// </remarks>
public static class MemoryServiceEndpoints
{
    const string Scheme = "pipeline ";

    /// <summary>Maps <c>/v1/services/memory/1.0.0/{key}</c>.</summary>
    public static RouteGroupBuilder MapMemoryServiceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/services/memory/1.0.0");
        group.MapGet("/{key}", static (HttpContext context, string key) =>
        {
            var (memory, refusal) = Admit(context);
            if (refusal is not null)
                return refusal;
            return memory!.TryGet(key, out var value) ? Value(value) : Error(StatusCodes.Status404NotFound, "key not found");
        }).AllowAnonymous();
        group.MapPut("/{key}", static async (HttpContext context, string key) =>
        {
            var (memory, refusal) = Admit(context);
            if (refusal is not null)
                return refusal;
            var (body, error) = await ReadAsync(context);
            return error ?? Answer(memory!.Replace(key, body), "replace");
        }).AllowAnonymous();
        group.MapPost("/{key}", static async (HttpContext context, string key) =>
        {
            var (memory, refusal) = Admit(context);
            if (refusal is not null)
                return refusal;
            var (body, error) = await ReadAsync(context);
            if (error is not null)
                return error;
            if (body is not JsonObject change || !change.TryGetPropertyValue("value", out var value)
                || change["op"] is not JsonValue op || !op.TryGetValue<string>(out var operation) || operation is not ("accum" or "join"))
                return Error(StatusCodes.Status422UnprocessableEntity, "The body must be {\"op\": \"accum\" or \"join\", \"value\": ...}.");
            return Answer(operation == "accum" ? memory!.Accumulate(key, value) : memory!.Join(key, value), operation);
        }).AllowAnonymous();
        group.MapDelete("/{key}", static (HttpContext context, string key) =>
        {
            var (memory, refusal) = Admit(context);
            return refusal ?? Answer(memory!.Delete(key), "delete");
        }).AllowAnonymous();
        return group;
    }

    /// <summary>Admits the request by its pipeline token, before its body is read: the memory of its pipeline, or the
    /// 401 to answer.</summary>
    static (PipelineMemory? Memory, IResult? Refusal) Admit(HttpContext context)
    {
        var services = context.RequestServices.GetRequiredService<CommandServices>();
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
            return (null, Results.StatusCode(StatusCodes.Status401Unauthorized));
        return services.Authenticate(header[Scheme.Length..].Trim()) is { } pipeline
            ? (services.MemoryOf(pipeline), null)
            : (null, Error(StatusCodes.Status401Unauthorized, "unknown token"));
    }

    static IResult Answer(MemoryResult result, string operation) => result.Status switch
    {
        MemoryStatus.Ok => Value(result.Value),
        MemoryStatus.UnknownKey => Error(StatusCodes.Status404NotFound, "key not found"),
        MemoryStatus.NotAList => Error(StatusCodes.Status422UnprocessableEntity, $"Must use lists for the {operation} operation"),
        _ => Error(StatusCodes.Status413PayloadTooLarge,
            $"The pipeline's memory is full: it keeps at most {CommandServices.MaxBytesPerPipeline} bytes of values."),
    };

    // The value itself is the body, not wrapped (a stored null is the body "null").
    static IResult Value(JsonNode? value) => Results.Text(value?.ToJsonString() ?? "null", "application/json");

    static IResult Error(int status, string message) => Results.Json(new { error = message }, ApiJson.Options, statusCode: status);

    /// <summary>The body as JSON (any value), or the API's 400 (bytes that are not UTF-8, a syntax error, a key given
    /// twice, with its position) or 413.</summary>
    static async Task<(JsonNode? Body, IResult? Error)> ReadAsync(HttpContext context)
    {
        var (document, error) = await ApiJson.ReadDocumentAsync(context.Request);
        if (document is null)
            return (null, error);
        using (document)
            return (JsonNode.Parse(document.RootElement.GetRawText()), null);
    }
}
