using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Cog.Api.Infrastructure;
using Cog.Language.Values;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cog.Api.Triggers;

/// <summary>Triggers over the API: <c>/v1/triggers</c> CRUD with <c>operable:manage_triggers</c>,
/// and the invocation <c>POST /v1/triggers/:id</c> (no permission: the trigger's <c>as_user</c>, or the request's token;
/// who may invoke a trigger by id or by name, and from which origin, is <see cref="TriggerInvoker"/>'s to decide).</summary>
/// <remarks>
/// <para>Needs <see cref="TriggerAdministration"/> and <see cref="TriggerInvoker"/> in the host's services;
/// <see cref="TriggerEndpointOptions"/> and <see cref="CogMetrics"/> are used when present.</para>
/// <para>Invocation bodies: empty → <c>{}</c>; <c>application/json</c> → parsed (400 with the position
/// when it is not JSON); <c>application/x-www-form-urlencoded</c> → decoded; any other or no content type → 415 (a
/// User-Agent of <c>Amazon Simple Notification Service Agent</c> is read as JSON, since SNS sends
/// <c>text/plain</c>). Content types are compared without their parameters (<c>; charset=utf-8</c>). A body that cannot be
/// read is answered only once the caller is admitted, so a refused caller is refused whatever it sent.</para>
/// <para>A request a page of another site sent (<see cref="CrossOriginRequests"/>) is marked cross-origin; the
/// invoker's refusals of a caller (401, 403) are recorded as <c>api.denied</c> with their reason.</para>
/// </remarks>
public static class TriggerEndpoints
{
    /// <summary>The User-Agent of Amazon SNS, whose bodies are JSON whatever their content type says.</summary>
    public const string SnsUserAgent = "Amazon Simple Notification Service Agent";

    const string Origin = "api";

    /// <summary>Maps <c>/v1/triggers</c>.</summary>
    public static RouteGroupBuilder MapTriggerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/triggers");
        group.MapGet("", (Delegate)ListAsync).RequireAuthorization(ApiPolicies.ManageTriggers);
        group.MapPost("", (Delegate)CreateAsync).RequireAuthorization(ApiPolicies.ManageTriggers);
        group.MapGet("/{id}", ShowAsync).RequireAuthorization(ApiPolicies.ManageTriggers);
        group.MapMethods("/{id}", [HttpMethods.Put, HttpMethods.Patch], UpdateAsync).RequireAuthorization(ApiPolicies.ManageTriggers);
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.ManageTriggers);
        group.MapPost("/{id}", InvokeAsync).AllowAnonymous();
        return group;
    }

    static async Task<IResult> ListAsync(HttpContext context)
    {
        var name = context.Request.Query["name"].ToString();
        var triggers = await Administration(context).ListAsync(name.Length > 0 ? name : null, context.RequestAborted);
        return Results.Json(new { triggers = triggers.Select(t => View(context, t)).ToArray() }, ApiJson.Options);
    }

    static async Task<IResult> ShowAsync(HttpContext context, string id) =>
        Answer(context, await Administration(context).FindAsync(id, context.RequestAborted));

    static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (fields, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "trigger");
        if (document is null)
            return error!;
        using (document)
        {
            var (change, errors) = ReadFields(fields);
            if (change is null)
                return ApiResults.FieldErrors(errors!);
            var result = await Administration(context).CreateAsync(
                ApiCaller.Of(context).Username, Origin, change(new TriggerDraft(null, null)), context.RequestAborted);
            if (!result.IsSuccess)
                return Answer(context, result);
            return Results.Json(new { trigger = View(context, result.Trigger) }, ApiJson.Options, statusCode: StatusCodes.Status201Created)
                .WithLocation($"/v1/triggers/{result.Trigger.Id}");
        }
    }

    static async Task<IResult> UpdateAsync(HttpContext context, string id)
    {
        var (fields, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "trigger");
        if (document is null)
            return error!;
        using (document)
        {
            var (change, errors) = ReadFields(fields);
            if (change is null)
                return ApiResults.FieldErrors(errors!);
            return Answer(context, await Administration(context).UpdateAsync(ApiCaller.Of(context).Username, Origin, id, change, context.RequestAborted));
        }
    }

    static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        var result = await Administration(context).DeleteAsync(ApiCaller.Of(context).Username, Origin, id, context.RequestAborted);
        return result.IsSuccess ? Results.NoContent() : Answer(context, result);
    }

    static async Task<IResult> InvokeAsync(HttpContext context, string id)
    {
        var (body, raw, unreadable) = await ReadBodyAsync(context.Request);
        var request = context.Request;
        var tokenUserId = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        var invocation = new TriggerInvocation(id, Headers(request.Headers), UrlEncodedForm.Decode(request.QueryString.HasValue ? request.QueryString.Value![1..] : ""),
            body ?? new ObjectValue([]), raw, tokenUserId)
        {
            TokenUserManagesTriggers = tokenUserId is not null && await ApiDenials.HoldsAsync(context, TriggerInvoker.ManageTriggersPermission),
            CrossOrigin = CrossOriginRequests.Describe(request, PublicBase(context)),
            BodyUnreadable = unreadable is not null,
        };
        var response = await context.RequestServices.GetRequiredService<TriggerInvoker>().InvokeAsync(invocation, context.RequestAborted);
        if (response.Denial is { } denial)
            await ApiDenials.RecordAsync(context, denial.Permission, denial.Reason);
        var metrics = context.RequestServices.GetService<CogMetrics>();
        if (ReferenceEquals(response, TriggerResponse.BodyUnreadable))
        {
            metrics?.TriggerAnswered(unreadable is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest);
            return unreadable!;
        }
        metrics?.TriggerAnswered(response.StatusCode);
        if (response.StatusCode == StatusCodes.Status401Unauthorized && response.Body is null)
            return Results.Challenge();
        if (response.Body is null)
            return Results.StatusCode(response.StatusCode);
        return Results.Text(response.Body.ToJson(), "application/json", Encoding.UTF8, response.StatusCode);
    }

    /// <summary>Reads an invocation's body: the parsed value and the raw text, or the answer for a body that cannot be
    /// read (413, 400, 415).</summary>
    internal static async Task<(Value? Body, string Raw, IResult? Unreadable)> ReadBodyAsync(HttpRequest request)
    {
        var (bytes, error) = await ApiJson.ReadBodyAsync(request);
        if (error is not null)
            return (null, "", error);
        var raw = Encoding.UTF8.GetString(bytes);
        if (bytes.Length == 0)
            return (new ObjectValue([]), raw, null);
        var contentType = string.Equals(request.Headers.UserAgent.ToString(), SnsUserAgent, StringComparison.Ordinal)
            ? "application/json"
            : request.ContentType;
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : null;
        if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            var (document, invalid) = ApiJson.ParseDocument(bytes);
            if (document is null)
                return (null, raw, invalid);
            using (document)
                return (Value.FromJson(document.RootElement), raw, null);
        }
        if (string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return (UrlEncodedForm.Decode(raw), raw, null);
        return (null, raw, ApiResults.Errors(TriggerApiMessages.UnsupportedContentType(contentType), StatusCodes.Status415UnsupportedMediaType));
    }

    /// <summary>Request headers as the trigger context sees them: lower-case names; a repeated header is a list.</summary>
    internal static ObjectValue Headers(IHeaderDictionary headers)
    {
        var members = ImmutableArray.CreateBuilder<KeyValuePair<string, Value>>(headers.Count);
        foreach (var (name, values) in headers)
        {
            Value value = values.Count == 1
                ? new StringValue(values[0] ?? "")
                : new ListValue([.. values.Select(static v => (Value)new StringValue(v ?? ""))]);
            members.Add(new(name.ToLowerInvariant(), value));
        }
        return new ObjectValue(members.DrainToImmutable());
    }

    /// <summary>Reads the members of a <c>trigger</c> envelope into a change of a draft; wrong types are field errors.</summary>
    internal static (Func<TriggerDraft, TriggerDraft>? Change, Dictionary<string, string[]>? Errors) ReadFields(JsonElement fields)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (fields.ValueKind != JsonValueKind.Object)
            return (null, new() { ["trigger"] = [TriggerErrors.Invalid] });
        var name = Text(fields, "name", errors);
        var pipeline = Text(fields, "pipeline", errors);
        var description = Text(fields, "description", errors);
        var asUser = Text(fields, "as_user", errors);
        var timeout = Number(fields, "timeout_sec", errors);
        var enabled = Flag(fields, "enabled", errors);
        var allowCrossOrigin = Flag(fields, "allow_cross_origin", errors);
        if (errors.Count > 0)
            return (null, errors);
        return (draft => draft with
        {
            Name = name.Present ? name.Value : draft.Name,
            Pipeline = pipeline.Present ? pipeline.Value : draft.Pipeline,
            Description = description.Present ? description.Value : draft.Description,
            AsUser = asUser.Present ? asUser.Value : draft.AsUser,
            TimeoutSeconds = timeout.Present ? timeout.Value : draft.TimeoutSeconds,
            Enabled = enabled ?? draft.Enabled,
            AllowCrossOrigin = allowCrossOrigin ?? draft.AllowCrossOrigin,
        }, null);
    }

    static (bool Present, string? Value) Text(JsonElement fields, string name, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetProperty(name, out var member))
            return (false, null);
        switch (member.ValueKind)
        {
            case JsonValueKind.Null:
                return (true, null);
            case JsonValueKind.String:
                return (true, member.GetString());
            default:
                errors[name] = [TriggerErrors.Invalid];
                return (false, null);
        }
    }

    /// <summary>An integer, or a string of one (Ecto casts <c>"30"</c> to 30).</summary>
    static (bool Present, long? Value) Number(JsonElement fields, string name, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetProperty(name, out var member))
            return (false, null);
        if (member.ValueKind == JsonValueKind.Null)
            return (true, null);
        if (member.ValueKind == JsonValueKind.Number && member.TryGetInt64(out var number))
            return (true, number);
        if (member.ValueKind == JsonValueKind.String && long.TryParse(member.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            return (true, number);
        errors[name] = [TriggerErrors.Invalid];
        return (false, null);
    }

    /// <summary>A boolean, or <c>"true"</c>/<c>"false"</c>.</summary>
    static bool? Flag(JsonElement fields, string name, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetProperty(name, out var member))
            return null;
        switch (member.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when member.GetString() is "true" or "false":
                return member.GetString() == "true";
            default:
                errors[name] = [TriggerErrors.Invalid];
                return null;
        }
    }

    static IResult Answer(HttpContext context, TriggerResult result) => result.Error switch
    {
        TriggerErrorKind.None => Results.Json(new { trigger = View(context, result.Trigger!) }, ApiJson.Options),
        TriggerErrorKind.BadId => ApiResults.Errors(result.Message!, StatusCodes.Status400BadRequest),
        TriggerErrorKind.NotFound => ApiResults.NotFound(result.Message!),
        _ => ApiResults.FieldErrors(result.FieldErrors!),
    };

    static object View(HttpContext context, Trigger trigger) => new
    {
        id = trigger.Id,
        name = trigger.Name,
        pipeline = trigger.Pipeline,
        description = trigger.Description,
        as_user = trigger.AsUser,
        timeout_sec = trigger.TimeoutSeconds,
        enabled = trigger.Enabled,
        allow_cross_origin = trigger.AllowCrossOrigin,
        invocation_url = InvocationUrl(context, trigger.Id),
    };

    /// <summary>The trigger's public URL: the configured base, else the asking request's own origin.</summary>
    internal static string InvocationUrl(HttpContext context, string triggerId)
    {
        var configured = PublicBase(context);
        var origin = configured is not null
            ? configured.ToString().TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return $"{origin}/v1/triggers/{triggerId}";
    }

    /// <summary>The configured public base URL of triggers (<see cref="TriggerEndpointOptions.InvocationUrlBase"/>), if any.</summary>
    static Uri? PublicBase(HttpContext context) => context.RequestServices.GetService<IOptions<TriggerEndpointOptions>>()?.Value.InvocationUrlBase;

    static TriggerAdministration Administration(HttpContext context) => context.RequestServices.GetRequiredService<TriggerAdministration>();

    static IResult WithLocation(this IResult result, string location) => new Located(result, location);

    /// <summary>A result with a <c>Location</c> header.</summary>
    sealed class Located(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
