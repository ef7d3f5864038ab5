using System.Text.Json;
using Cog.Api.Bundles;
using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cog.Api.Rules;

/// <summary>Cog 1.0's rule routes (permission <c>operable:manage_commands</c>):
/// <c>GET /v1/rules?for-command=bundle:cmd</c>, <c>POST /v1/rules</c> <c>{"rule": "when command is …"}</c>,
/// <c>GET/PUT/DELETE /v1/rules/:id</c>. A rule is Cog 1.0's <c>{"id","command_name","rule"}</c>, bare (no envelope) when
/// created, shown or updated, and in <c>{"rules": [...]}</c> when listed (operable/cog web/controllers/v1/rule_controller.ex).</summary>
/// <remarks>Needs <see cref="RuleAdministration"/> in the host's services.</remarks>
public static class RuleEndpoints
{
    /// <summary>Maps the routes onto <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapRuleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/rules").RequireAuthorization(ApiPolicies.ManageCommands);
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return endpoints;
    }

    static async Task<IResult> ListAsync(HttpContext context, RuleAdministration rules)
    {
        var command = context.Request.Query["for-command"].ToString();
        if (command.Length == 0)
            return ApiResults.Errors(AdminApiMessages.ForCommandRequired);
        var list = await rules.ListAsync(command, context.RequestAborted);
        return list.IsSuccess ? Results.Json(new { rules = list.Value!.Select(BundleJson.Rule).ToList() }, ApiJson.Options) : AdminResponses.Error(list.Error);
    }

    static async Task<IResult> CreateAsync(HttpContext context, RuleAdministration rules)
    {
        var (text, error) = await ReadRuleAsync(context.Request);
        if (text is null)
            return error!;
        var created = await rules.CreateAsync(AdminActor.Api(ApiCaller.Of(context).Username), text, context.RequestAborted);
        return created.IsSuccess
            ? Results.Json(BundleJson.Rule(created.Value!), ApiJson.Options, statusCode: StatusCodes.Status201Created)
            : AdminResponses.Error(created.Error);
    }

    static async Task<IResult> ShowAsync(string id, RuleAdministration rules, CancellationToken cancellationToken)
    {
        var found = await rules.InfoAsync(id, cancellationToken);
        return found.IsSuccess ? Results.Json(BundleJson.Rule(found.Value!), ApiJson.Options) : AdminResponses.Error(found.Error);
    }

    static async Task<IResult> UpdateAsync(string id, HttpContext context, RuleAdministration rules)
    {
        var (text, error) = await ReadRuleAsync(context.Request);
        if (text is null)
            return error!;
        var updated = await rules.UpdateAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, text, context.RequestAborted);
        return updated.IsSuccess ? Results.Json(BundleJson.Rule(updated.Value!), ApiJson.Options) : AdminResponses.Error(updated.Error);
    }

    static async Task<IResult> DeleteAsync(string id, HttpContext context, RuleAdministration rules)
    {
        var deleted = await rules.DeleteAsync(AdminActor.Api(ApiCaller.Of(context).Username), [id], context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : AdminResponses.Error(deleted.Error);
    }

    /// <summary><c>{"rule": "text"}</c> (also <c>{"rule": {"rule": "text"}}</c>).</summary>
    static async Task<(string? Text, IResult? Error)> ReadRuleAsync(HttpRequest request)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(request, "rule");
        if (document is null)
            return (null, error);
        using (document)
        {
            if (envelope.ValueKind == JsonValueKind.String)
                return (envelope.GetString(), null);
            string? invalid = null;
            var text = RequestFields.String(envelope, "rule", ref invalid);
            return text is null ? (null, AdminResponses.InvalidField("rule")) : (text, null);
        }
    }
}
