using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Cog.Runtime.Relays;

namespace Cog.Api.Relays;

/// <summary>Cog 1.0's relay routes (permission <c>operable:manage_relays</c>): <c>GET/POST /v1/relays</c>,
/// <c>GET/PUT/DELETE /v1/relays/:id</c> (id or name).</summary>
/// <remarks>
/// <para>Create: <c>{"relay": {"id"?, "name", "token"?, "description"?, "enabled"?, "groups"?: [names]}}</c> → 201
/// <c>{"relay": {...}}</c>. Without a token the server generates one and answers it once, as <c>"token"</c> beside the
/// relay (our addition; the token is otherwise never returned). Update: the same members, all optional.</para>
/// <para>Needs <see cref="RelayAdministration"/> in the host's services; with a <see cref="RelayMonitor"/> there too,
/// list and show add each relay's live <c>status</c> (online or offline, load, the bundles it serves, and how what it
/// announced differs from what it was assigned).</para>
/// </remarks>
public static class RelayEndpoints
{
    /// <summary>Maps the routes onto <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapRelayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/relays").RequireAuthorization(ApiPolicies.ManageRelays);
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapPatch("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return endpoints;
    }

    static async Task<IResult> ListAsync(HttpContext context, RelayAdministration relays, CancellationToken cancellationToken)
    {
        var list = await relays.ListAsync(cancellationToken);
        var monitor = context.RequestServices.GetService<RelayMonitor>();
        var shown = new List<object>(list.Count);
        foreach (var relay in list)
            shown.Add(RelayJson.RelayWithStatus(relay, monitor is null ? null : await monitor.FindAsync(relay.Relay.Id, cancellationToken)));
        return Results.Json(new { relays = shown }, ApiJson.Options);
    }

    static async Task<IResult> ShowAsync(string id, HttpContext context, RelayAdministration relays, CancellationToken cancellationToken)
    {
        var found = await relays.InfoAsync(id, cancellationToken);
        if (!found.IsSuccess)
            return AdminResponses.Error(found.Error);
        var monitor = context.RequestServices.GetService<RelayMonitor>();
        var health = monitor is null ? null : await monitor.FindAsync(found.Value!.Relay.Id, cancellationToken);
        return Results.Json(new { relay = RelayJson.RelayWithStatus(found.Value!, health) }, ApiJson.Options);
    }

    static async Task<IResult> CreateAsync(HttpContext context, RelayAdministration relays)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "relay");
        if (document is null)
            return error!;
        RelayCreation creation;
        using (document)
        {
            string? invalid = null;
            var name = RequestFields.String(envelope, "name", ref invalid);
            creation = new RelayCreation(
                name ?? "",
                RequestFields.String(envelope, "id", ref invalid),
                RequestFields.String(envelope, "token", ref invalid),
                RequestFields.String(envelope, "description", ref invalid),
                RequestFields.Bool(envelope, "enabled", ref invalid) ?? false,
                RequestFields.Strings(envelope, "groups", ref invalid));
            if (invalid is not null)
                return AdminResponses.InvalidField(invalid);
        }
        var created = await relays.CreateAsync(AdminActor.Api(ApiCaller.Of(context).Username), creation, context.RequestAborted);
        if (!created.IsSuccess)
            return AdminResponses.Error(created.Error);
        var relay = RelayJson.Relay(created.Value!.Relay);
        return created.Value.GeneratedToken is { } token
            ? Results.Json(new { relay, token }, ApiJson.Options, statusCode: StatusCodes.Status201Created)
            : Results.Json(new { relay }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    static async Task<IResult> UpdateAsync(string id, HttpContext context, RelayAdministration relays)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "relay");
        if (document is null)
            return error!;
        RelayChanges changes;
        using (document)
        {
            string? invalid = null;
            changes = new RelayChanges(
                RequestFields.String(envelope, "name", ref invalid),
                RequestFields.String(envelope, "token", ref invalid),
                RequestFields.String(envelope, "description", ref invalid),
                RequestFields.Bool(envelope, "enabled", ref invalid));
            if (invalid is not null)
                return AdminResponses.InvalidField(invalid);
        }
        var updated = await relays.UpdateAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, changes, context.RequestAborted);
        return updated.IsSuccess ? Results.Json(new { relay = RelayJson.Relay(updated.Value!) }, ApiJson.Options) : AdminResponses.Error(updated.Error);
    }

    static async Task<IResult> DeleteAsync(string id, HttpContext context, RelayAdministration relays)
    {
        var deleted = await relays.DeleteAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : AdminResponses.Error(deleted.Error);
    }
}
