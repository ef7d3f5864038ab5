using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>/v1/permissions</c>, all with <c>operable:manage_permissions</c>: list (optionally
/// <c>?bundle=</c> a namespace), create <c>{"permission": {"name": "x"}}</c> (or <c>"site:x"</c>), show, delete (<c>site</c> only: others
/// → 403). <c>:id</c> is an id or a full name (<c>bundle:name</c>).</summary>
static class PermissionEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/permissions", (Delegate)ListAsync).RequireAuthorization(ApiPolicies.ManagePermissions);
        endpoints.MapPost("/v1/permissions", (Delegate)CreateAsync).RequireAuthorization(ApiPolicies.ManagePermissions);
        endpoints.MapGet("/v1/permissions/{id}", ShowAsync).RequireAuthorization(ApiPolicies.ManagePermissions);
        endpoints.MapDelete("/v1/permissions/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.ManagePermissions);
    }

    static PermissionAdministration Permissions(HttpContext context) => context.RequestServices.GetRequiredService<PermissionAdministration>();

    static async Task<IResult> ListAsync(HttpContext context)
    {
        var ns = context.Request.Query.TryGetValue("bundle", out var bundle) ? bundle.ToString() : null;
        var permissions = await Permissions(context).ListAsync(ns, context.RequestAborted);
        return IdentityResults.Envelope("permissions", permissions.Select(IdentityJson.Permission).ToArray());
    }

    static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (name, error) = await GroupEndpoints.NameAsync(context, "permission");
        if (error is not null)
            return error;
        var created = await Permissions(context).CreateAsync(AdminActor.Api(ApiCaller.Of(context).Username), SiteName(name), context.RequestAborted);
        if (!created.IsSuccess)
            return IdentityResults.Error(created.Error);
        context.Response.Headers.Location = "/v1/permissions/" + created.Value!.Id;
        return IdentityResults.Envelope("permission", IdentityJson.Permission(created.Value), StatusCodes.Status201Created);
    }

    /// <summary>Cog 1.0's API takes the bare name and creates the permission in <c>site</c> (the original cogctl sends
    /// <c>{"permission": {"name": "deploy"}}</c>); <c>site:deploy</c> is accepted too, and any other namespace is
    /// refused by the administration.</summary>
    static string? SiteName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Contains(':', StringComparison.Ordinal) ? name : Runtime.Identity.Permission.SiteNamespace + ":" + name;

    static async Task<IResult> ShowAsync(HttpContext context, string id)
    {
        var permission = await Permissions(context).GetAsync(id, context.RequestAborted);
        return permission.IsSuccess ? IdentityResults.Envelope("permission", IdentityJson.Permission(permission.Value!)) : IdentityResults.Error(permission.Error);
    }

    static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        var deleted = await Permissions(context).DeleteAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : IdentityResults.Error(deleted.Error);
    }
}
