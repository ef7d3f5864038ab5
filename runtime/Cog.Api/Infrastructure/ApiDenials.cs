using System.Text.Json;
using Cog.Runtime.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Infrastructure;

/// <summary>Refusals of authenticated callers (every denial is recorded): an <c>api.denied</c> audit
/// record (actor = the caller, command = <c>METHOD /path</c>, outcome <c>denied</c>, payload
/// <c>{"method", "path", "permission"}</c>, and <c>"reason"</c> when the refusal has one, such as a cross-origin
/// trigger request) written durably before the 401 or 403 answer goes out.</summary>
/// <remarks>Uses the host's <see cref="AuditWriter"/> and <see cref="TimeProvider"/>; a host without an audit writer
/// (some tests) answers without recording.</remarks>
public static class ApiDenials
{
    /// <summary>The audit record kind.</summary>
    public const string Kind = "api.denied";

    /// <summary>Records the denial of the current request for lack of <paramref name="permission"/>, or for
    /// <paramref name="reason"/>.</summary>
    public static async Task RecordAsync(HttpContext context, string? permission, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = context.RequestServices.GetService<AuditWriter>();
        if (writer is null)
            return;
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        var fields = new Dictionary<string, string?>
        {
            ["method"] = method,
            ["path"] = path,
            ["permission"] = permission,
        };
        if (reason is not null)
            fields["reason"] = reason;
        var payload = JsonSerializer.Serialize(fields);
        var actor = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        await writer.AppendAsync(new AuditEntry(time.GetUtcNow(), Kind, actor, method + " " + path, "denied", payload), context.RequestAborted);
    }

    /// <summary>Records the denial and answers 403 <c>{"error":"Not authorized."}</c> (for checks made inside an
    /// endpoint, such as "a user may show themselves without <c>manage_users</c>").</summary>
    public static async Task<IResult> DenyAsync(HttpContext context, string permission)
    {
        await RecordAsync(context, permission);
        return Results.Json(new { error = ApiMessages.NotAuthorized }, statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>Whether the caller holds <paramref name="permission"/> (the policy of the same name).</summary>
    public static async Task<bool> HoldsAsync(HttpContext context, string permission)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(context.User, permission)).Succeeded;
    }
}
