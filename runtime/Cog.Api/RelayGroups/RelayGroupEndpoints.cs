using Cog.Api.Infrastructure;
using Cog.Api.Relays;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cog.Api.RelayGroups;

/// <summary>Cog 1.0's relay-group routes (permission <c>operable:manage_relays</c>):
/// <c>GET/POST /v1/relay_groups</c>, <c>GET/PUT/DELETE /v1/relay_groups/:id</c>,
/// <c>GET/POST /v1/relay_groups/:id/relays</c> <c>{"relays": {"add": [...], "remove": [...]}}</c> and
/// <c>GET/POST /v1/relay_groups/:id/bundles</c> <c>{"bundles": {"add": [...], "remove": [...]}}</c>. Groups, relays and
/// bundles are named by id or name.</summary>
/// <remarks>Unknown members answer 422 <c>{"errors": {"not_found": {"relays": [...]}}}</c> (Cog 1.0). Needs
/// <see cref="RelayGroupAdministration"/> in the host's services.</remarks>
public static class RelayGroupEndpoints
{
    /// <summary>Maps the routes onto <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapRelayGroupEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/relay_groups").RequireAuthorization(ApiPolicies.ManageRelays);
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapPatch("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/relays", ListRelaysAsync);
        group.MapPost("/{id}/relays", (string id, HttpContext context, RelayGroupAdministration groups) => ChangeMembersAsync(id, "relays", context, groups));
        group.MapGet("/{id}/bundles", ListBundlesAsync);
        group.MapPost("/{id}/bundles", (string id, HttpContext context, RelayGroupAdministration groups) => ChangeMembersAsync(id, "bundles", context, groups));
        return endpoints;
    }

    static async Task<IResult> ListAsync(RelayGroupAdministration groups, CancellationToken cancellationToken)
    {
        var list = await groups.ListAsync(cancellationToken);
        return Results.Json(new { relay_groups = list.Select(RelayJson.Group).ToList() }, ApiJson.Options);
    }

    static async Task<IResult> ShowAsync(string id, RelayGroupAdministration groups, CancellationToken cancellationToken)
    {
        var found = await groups.InfoAsync(id, cancellationToken);
        return found.IsSuccess ? Results.Json(new { relay_group = RelayJson.Group(found.Value!) }, ApiJson.Options) : AdminResponses.Error(found.Error);
    }

    static async Task<IResult> ListRelaysAsync(string id, RelayGroupAdministration groups, CancellationToken cancellationToken)
    {
        var found = await groups.InfoAsync(id, cancellationToken);
        return found.IsSuccess
            ? Results.Json(new { relays = found.Value!.Relays.Select(static r => RelayJson.RelayInGroup(r)).ToList() }, ApiJson.Options)
            : AdminResponses.Error(found.Error);
    }

    static async Task<IResult> ListBundlesAsync(string id, RelayGroupAdministration groups, CancellationToken cancellationToken)
    {
        var found = await groups.InfoAsync(id, cancellationToken);
        return found.IsSuccess
            ? Results.Json(new { bundles = found.Value!.Bundles.Select(static b => new { id = b.Id, name = b.Name }).ToList() }, ApiJson.Options)
            : AdminResponses.Error(found.Error);
    }

    static async Task<IResult> CreateAsync(HttpContext context, RelayGroupAdministration groups)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "relay_group");
        if (document is null)
            return error!;
        string? name, description;
        IReadOnlyList<string> relays;
        using (document)
        {
            string? invalid = null;
            name = RequestFields.String(envelope, "name", ref invalid);
            description = RequestFields.String(envelope, "description", ref invalid);
            relays = RequestFields.Strings(envelope, "relays", ref invalid);
            if (invalid is not null)
                return AdminResponses.InvalidField(invalid);
        }
        var created = await groups.CreateAsync(AdminActor.Api(ApiCaller.Of(context).Username), name ?? "", description, relays, context.RequestAborted);
        return created.IsSuccess
            ? Results.Json(new { relay_group = RelayJson.Group(created.Value!) }, ApiJson.Options, statusCode: StatusCodes.Status201Created)
            : AdminResponses.Error(created.Error, membersKind: "relays");
    }

    static async Task<IResult> UpdateAsync(string id, HttpContext context, RelayGroupAdministration groups)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "relay_group");
        if (document is null)
            return error!;
        string? name, description;
        using (document)
        {
            string? invalid = null;
            name = RequestFields.String(envelope, "name", ref invalid);
            description = RequestFields.String(envelope, "description", ref invalid);
            if (invalid is not null)
                return AdminResponses.InvalidField(invalid);
        }
        var updated = await groups.UpdateAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, name, description, context.RequestAborted);
        return updated.IsSuccess ? Results.Json(new { relay_group = RelayJson.Group(updated.Value!) }, ApiJson.Options) : AdminResponses.Error(updated.Error);
    }

    static async Task<IResult> DeleteAsync(string id, HttpContext context, RelayGroupAdministration groups)
    {
        var deleted = await groups.DeleteAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : AdminResponses.Error(deleted.Error);
    }

    /// <summary><c>{"relays"|"bundles": {"add": [...], "remove": [...]}}</c>: additions first, then removals.</summary>
    static async Task<IResult> ChangeMembersAsync(string id, string kind, HttpContext context, RelayGroupAdministration groups)
    {
        var (add, remove, error) = await MembershipChange.ReadAsync(context.Request,
            kind == "relays" ? MembershipChange.RelayGroupRelays : MembershipChange.RelayGroupBundles);
        if (error is not null)
            return error;
        var actor = AdminActor.Api(ApiCaller.Of(context).Username);
        var cancellationToken = context.RequestAborted;
        RegistryResult<RelayGroupDetails> result = default;
        if (add.Count > 0 || remove.Count == 0)
        {
            result = kind == "relays"
                ? await groups.AddRelaysAsync(actor, id, add, cancellationToken)
                : await groups.AssignBundlesAsync(actor, id, add, cancellationToken);
            if (!result.IsSuccess)
                return AdminResponses.Error(result.Error, membersKind: kind);
        }
        if (remove.Count > 0)
        {
            result = kind == "relays"
                ? await groups.RemoveRelaysAsync(actor, id, remove, cancellationToken)
                : await groups.UnassignBundlesAsync(actor, id, remove, cancellationToken);
            if (!result.IsSuccess)
                return AdminResponses.Error(result.Error, membersKind: kind);
        }
        return Results.Json(new { relay_group = RelayJson.Group(result.Value!) }, ApiJson.Options);
    }
}
