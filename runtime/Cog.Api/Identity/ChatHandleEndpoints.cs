using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary>Chat handles, all with <c>operable:manage_users</c>: <c>GET /v1/chat_handles</c>,
/// <c>DELETE /v1/chat_handles/:id</c>, <c>GET/POST /v1/users/:id/chat_handles</c> with
/// <c>{"chat_handle": {"chat_provider", "handle", "chat_provider_user_id"?}}</c>.</summary>
static class ChatHandleEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/chat_handles", (Delegate)ListAllAsync).RequireAuthorization(ApiPolicies.ManageUsers);
        endpoints.MapDelete("/v1/chat_handles/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.ManageUsers);
        endpoints.MapGet("/v1/users/{id}/chat_handles", ListAsync).RequireAuthorization(ApiPolicies.ManageUsers);
        endpoints.MapPost("/v1/users/{id}/chat_handles", CreateAsync).RequireAuthorization(ApiPolicies.ManageUsers);
    }

    static UserAdministration Users(HttpContext context) => context.RequestServices.GetRequiredService<UserAdministration>();

    static async Task<IResult> ListAllAsync(HttpContext context)
    {
        var users = Users(context);
        var handles = await users.ListChatHandlesAsync(context.RequestAborted);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var details in await users.ListAsync(context.RequestAborted))
            names[details.User.Id] = details.User.Username;
        return IdentityResults.Envelope("chat_handles",
            handles.Select(h => IdentityJson.ChatHandle(h, names.GetValueOrDefault(h.UserId, ""))).ToArray());
    }

    static async Task<IResult> ListAsync(HttpContext context, string id)
    {
        var user = await Users(context).GetAsync(Target(context, id), context.RequestAborted);
        return user.IsSuccess
            ? IdentityResults.Envelope("chat_handles", user.Value!.ChatHandles.Select(h => IdentityJson.ChatHandle(h, user.Value.User.Username)).ToArray())
            : IdentityResults.Error(user.Error);
    }

    static async Task<IResult> CreateAsync(HttpContext context, string id)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "chat_handle");
        if (document is null)
            return error!;
        string? provider, handle, providerUserId;
        using (document)
        {
            var body = new BodyFields(envelope);
            if (!body.IsObject)
                return ApiResults.Errors(ApiMessages.MissingEnvelope("chat_handle"));
            (provider, handle, providerUserId) = (body.String("chat_provider"), body.String("handle"), body.String("chat_provider_user_id"));
            if (body.Error is { } invalid)
                return IdentityResults.Error(invalid);
        }
        var users = Users(context);
        var attached = await users.AttachChatHandleAsync(AdminActor.Api(ApiCaller.Of(context).Username), Target(context, id), provider, handle,
            providerUserId, context.RequestAborted);
        if (!attached.IsSuccess)
            return IdentityResults.Error(attached.Error);
        var owner = await users.FindAsync(attached.Value!.UserId, context.RequestAborted);
        return IdentityResults.Envelope("chat_handle", IdentityJson.ChatHandle(attached.Value, owner?.Username ?? ""), StatusCodes.Status201Created);
    }

    static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        var deleted = await Users(context).DeleteChatHandleAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : IdentityResults.Error(deleted.Error);
    }

    static string Target(HttpContext context, string id) => id == "me" ? ApiCaller.Of(context).UserId : id;
}
