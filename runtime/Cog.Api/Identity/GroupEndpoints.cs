using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>/v1/groups</c>, all with <c>operable:manage_groups</c>: list, create
/// <c>{"group": {"name"}}</c>, show, rename (PUT), delete; <c>GET/POST /v1/groups/:id/users</c> with
/// <c>{"users": {"add": [...], "remove": [...]}}</c> and <c>POST /v1/groups/:id/roles</c> with
/// <c>{"roles": {"grant": [...], "revoke": [...]}}</c> or <c>add</c>/<c>remove</c> (Cog 1.0 answers the latter with the
/// group's roles); see <see cref="MembershipChange"/>.</summary>
static class GroupEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/groups", (Delegate)ListAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapPost("/v1/groups", (Delegate)CreateAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapGet("/v1/groups/{id}", ShowAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapPut("/v1/groups/{id}", RenameAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapPatch("/v1/groups/{id}", RenameAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapDelete("/v1/groups/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapGet("/v1/groups/{id}/users", ShowAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapPost("/v1/groups/{id}/users", ChangeMembersAsync).RequireAuthorization(ApiPolicies.ManageGroups);
        endpoints.MapPost("/v1/groups/{id}/roles", ChangeRolesAsync).RequireAuthorization(ApiPolicies.ManageGroups);
    }

    static GroupAdministration Groups(HttpContext context) => context.RequestServices.GetRequiredService<GroupAdministration>();

    static AdminActor Actor(HttpContext context) => AdminActor.Api(ApiCaller.Of(context).Username);

    static async Task<IResult> ListAsync(HttpContext context)
    {
        var groups = await Groups(context).ListAsync(context.RequestAborted);
        return IdentityResults.Envelope("groups", groups.Select(IdentityJson.Group).ToArray());
    }

    static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (name, error) = await NameAsync(context, "group");
        if (error is not null)
            return error;
        var created = await Groups(context).CreateAsync(Actor(context), name, context.RequestAborted);
        if (!created.IsSuccess)
            return IdentityResults.Error(created.Error);
        context.Response.Headers.Location = "/v1/groups/" + created.Value!.Group.Id;
        return IdentityResults.Envelope("group", IdentityJson.Group(created.Value), StatusCodes.Status201Created);
    }

    static async Task<IResult> ShowAsync(HttpContext context, string id) =>
        Answer(await Groups(context).GetAsync(id, context.RequestAborted));

    static async Task<IResult> RenameAsync(HttpContext context, string id)
    {
        var (name, error) = await NameAsync(context, "group");
        return error ?? Answer(await Groups(context).RenameAsync(Actor(context), id, name, context.RequestAborted));
    }

    static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        var deleted = await Groups(context).DeleteAsync(Actor(context), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : IdentityResults.Error(deleted.Error);
    }

    static async Task<IResult> ChangeMembersAsync(HttpContext context, string id)
    {
        var (add, remove, error) = await MembershipChange.ReadAsync(context.Request, MembershipChange.GroupUsers);
        return error ?? Answer(await Groups(context).ChangeMembersAsync(Actor(context), id, add, remove, context.RequestAborted));
    }

    static async Task<IResult> ChangeRolesAsync(HttpContext context, string id)
    {
        var (grant, revoke, error) = await MembershipChange.ReadAsync(context.Request, MembershipChange.GroupRoles);
        if (error is not null)
            return error;
        var changed = await Groups(context).ChangeRolesAsync(Actor(context), id, grant, revoke, context.RequestAborted);
        if (!changed.IsSuccess)
            return IdentityResults.Error(changed.Error);
        var roles = context.RequestServices.GetRequiredService<RoleAdministration>();
        var details = new List<RoleJson>();
        foreach (var role in changed.Value!.Roles)
        {
            var one = await roles.GetAsync(role.Id, context.RequestAborted);
            if (one.IsSuccess)
                details.Add(IdentityJson.Role(one.Value!));
        }
        return IdentityResults.Envelope("roles", details);
    }

    static IResult Answer(AdminResult<GroupDetails> result) =>
        result.IsSuccess ? IdentityResults.Envelope("group", IdentityJson.Group(result.Value!)) : IdentityResults.Error(result.Error);

    /// <summary>The <c>name</c> of the body's <paramref name="envelope"/> member, or the error answer.</summary>
    internal static async Task<(string? Name, IResult? Error)> NameAsync(HttpContext context, string envelope)
    {
        var (member, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, envelope);
        if (document is null)
            return (null, error);
        using (document)
        {
            var body = new BodyFields(member);
            if (!body.IsObject)
                return (null, ApiResults.Errors(ApiMessages.MissingEnvelope(envelope)));
            var name = body.String("name");
            return body.Error is { } invalid ? (null, IdentityResults.Error(invalid)) : (name, null);
        }
    }
}
