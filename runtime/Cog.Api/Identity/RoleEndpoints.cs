using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>/v1/roles</c>, all with <c>operable:manage_roles</c>: list (<c>?name=</c> → one),
/// create <c>{"role": {"name"}}</c>, show, rename (PUT), delete; <c>GET /v1/roles/:id/permissions</c> and
/// <c>POST /v1/roles/:id/permissions</c> with <c>{"permissions": {"grant": ["b:p"], "revoke": [...]}}</c>, both answered
/// with the role's permissions (Cog 1.0).</summary>
static class RoleEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/roles", (Delegate)ListAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapPost("/v1/roles", (Delegate)CreateAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapGet("/v1/roles/{id}", ShowAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapPut("/v1/roles/{id}", RenameAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapPatch("/v1/roles/{id}", RenameAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapDelete("/v1/roles/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapGet("/v1/roles/{id}/permissions", PermissionsAsync).RequireAuthorization(ApiPolicies.ManageRoles);
        endpoints.MapPost("/v1/roles/{id}/permissions", ChangePermissionsAsync).RequireAuthorization(ApiPolicies.ManageRoles);
    }

    static RoleAdministration Roles(HttpContext context) => context.RequestServices.GetRequiredService<RoleAdministration>();

    static AdminActor Actor(HttpContext context) => AdminActor.Api(ApiCaller.Of(context).Username);

    static async Task<IResult> ListAsync(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("name", out var name))
            return Answer(await Roles(context).GetAsync(name.ToString(), context.RequestAborted));
        var roles = await Roles(context).ListAsync(context.RequestAborted);
        return IdentityResults.Envelope("roles", roles.Select(IdentityJson.Role).ToArray());
    }

    static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (name, error) = await GroupEndpoints.NameAsync(context, "role");
        if (error is not null)
            return error;
        var created = await Roles(context).CreateAsync(Actor(context), name, context.RequestAborted);
        if (!created.IsSuccess)
            return IdentityResults.Error(created.Error);
        context.Response.Headers.Location = "/v1/roles/" + created.Value!.Role.Id;
        return IdentityResults.Envelope("role", IdentityJson.Role(created.Value), StatusCodes.Status201Created);
    }

    static async Task<IResult> ShowAsync(HttpContext context, string id) => Answer(await Roles(context).GetAsync(id, context.RequestAborted));

    static async Task<IResult> RenameAsync(HttpContext context, string id)
    {
        var (name, error) = await GroupEndpoints.NameAsync(context, "role");
        return error ?? Answer(await Roles(context).RenameAsync(Actor(context), id, name, context.RequestAborted));
    }

    static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        var deleted = await Roles(context).DeleteAsync(Actor(context), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : IdentityResults.Error(deleted.Error);
    }

    static async Task<IResult> PermissionsAsync(HttpContext context, string id) =>
        Permissions(await Roles(context).GetAsync(id, context.RequestAborted));

    static async Task<IResult> ChangePermissionsAsync(HttpContext context, string id)
    {
        var (grant, revoke, error) = await MembershipChange.ReadAsync(context.Request, MembershipChange.RolePermissions);
        return error ?? Permissions(await Roles(context).ChangePermissionsAsync(Actor(context), id, grant, revoke, context.RequestAborted));
    }

    static IResult Answer(AdminResult<RoleDetails> result) =>
        result.IsSuccess ? IdentityResults.Envelope("role", IdentityJson.Role(result.Value!)) : IdentityResults.Error(result.Error);

    static IResult Permissions(AdminResult<RoleDetails> result) => result.IsSuccess
        ? IdentityResults.Envelope("permissions", result.Value!.Permissions.Select(IdentityJson.Permission).ToArray())
        : IdentityResults.Error(result.Error);
}
