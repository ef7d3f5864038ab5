using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>/v1/users</c>: list (<c>?username=</c> → one), create, show, update (PUT and PATCH
/// both change only the given fields), delete. Needs <c>operable:manage_users</c>, except that a user may show and
/// update themselves (<c>:id</c> = their id, username or <c>me</c>). <c>/v1/users/me/permissions</c> lists the caller's own
/// permissions (what the web console shows a person's views by).</summary>
static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/users", (Delegate)ListAsync).RequireAuthorization(ApiPolicies.ManageUsers);
        endpoints.MapPost("/v1/users", (Delegate)CreateAsync).RequireAuthorization(ApiPolicies.ManageUsers);
        endpoints.MapGet("/v1/users/me/permissions", (Delegate)MyPermissionsAsync).RequireAuthorization(ApiPolicies.Authenticated);
        endpoints.MapGet("/v1/users/{id}", ShowAsync).RequireAuthorization(ApiPolicies.Authenticated);
        endpoints.MapPut("/v1/users/{id}", UpdateAsync).RequireAuthorization(ApiPolicies.Authenticated);
        endpoints.MapPatch("/v1/users/{id}", UpdateAsync).RequireAuthorization(ApiPolicies.Authenticated);
        endpoints.MapDelete("/v1/users/{id}", DeleteAsync).RequireAuthorization(ApiPolicies.ManageUsers);
    }

    static UserAdministration Users(HttpContext context) => context.RequestServices.GetRequiredService<UserAdministration>();

    static async Task<IResult> ListAsync(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("username", out var username))
        {
            var one = await Users(context).GetAsync(username.ToString(), context.RequestAborted);
            return one.IsSuccess ? IdentityResults.Envelope("user", IdentityJson.User(one.Value!)) : IdentityResults.Error(one.Error);
        }
        var users = await Users(context).ListAsync(context.RequestAborted);
        return IdentityResults.Envelope("users", users.Select(IdentityJson.User).ToArray());
    }

    /// <summary>The caller's permissions, from every role of every group they are in, sorted.</summary>
    static async Task<IResult> MyPermissionsAsync(HttpContext context)
    {
        var permissions = await context.RequestServices.GetRequiredService<IPipelineDirectory>()
            .GetPermissionsAsync(ApiCaller.Of(context).UserId, context.RequestAborted);
        return IdentityResults.Envelope("permissions", permissions.Order(StringComparer.Ordinal).ToArray());
    }

    static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (fields, error) = await ReadAsync(context);
        if (fields is null)
            return error!;
        var created = await Users(context).CreateAsync(AdminActor.Api(ApiCaller.Of(context).Username), fields, context.RequestAborted);
        if (!created.IsSuccess)
            return IdentityResults.Error(created.Error);
        context.Response.Headers.Location = "/v1/users/" + created.Value!.User.Id;
        return IdentityResults.Envelope("user", IdentityJson.User(created.Value), StatusCodes.Status201Created);
    }

    static async Task<IResult> ShowAsync(HttpContext context, string id)
    {
        var (target, denied) = await TargetAsync(context, id);
        if (target is null)
            return denied!;
        var user = await Users(context).GetAsync(target, context.RequestAborted);
        return user.IsSuccess ? IdentityResults.Envelope("user", IdentityJson.User(user.Value!)) : IdentityResults.Error(user.Error);
    }

    static async Task<IResult> UpdateAsync(HttpContext context, string id)
    {
        var (target, denied) = await TargetAsync(context, id);
        if (target is null)
            return denied!;
        var (fields, error) = await ReadAsync(context);
        if (fields is null)
            return error!;
        var updated = await Users(context).UpdateAsync(AdminActor.Api(ApiCaller.Of(context).Username), target, fields, context.RequestAborted);
        return updated.IsSuccess ? IdentityResults.Envelope("user", IdentityJson.User(updated.Value!)) : IdentityResults.Error(updated.Error);
    }

    static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        var target = id == "me" ? ApiCaller.Of(context).UserId : id;
        var deleted = await Users(context).DeleteAsync(AdminActor.Api(ApiCaller.Of(context).Username), target, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : IdentityResults.Error(deleted.Error);
    }

    /// <summary>The user to show or update: the caller themselves (<c>me</c>, their id or username) for anybody, any
    /// user with <c>operable:manage_users</c>; otherwise the 403 answer, recorded.</summary>
    static async Task<(string? Target, IResult? Denied)> TargetAsync(HttpContext context, string id)
    {
        var caller = ApiCaller.Of(context);
        if (id == "me" || id == caller.UserId || id == caller.Username)
            return (caller.UserId, null);
        if (await ApiDenials.HoldsAsync(context, ApiPolicies.ManageUsers))
            return (id, null);
        return (null, await ApiDenials.DenyAsync(context, ApiPolicies.ManageUsers));
    }

    static async Task<(UserFields? Fields, IResult? Error)> ReadAsync(HttpContext context)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "user");
        if (document is null)
            return (null, error);
        using (document)
        {
            var body = new BodyFields(envelope);
            if (!body.IsObject)
                return (null, ApiResults.Errors(ApiMessages.MissingEnvelope("user")));
            var fields = new UserFields(body.String("username"), body.String("email_address"), body.String("first_name"), body.String("last_name"),
                body.String("password"));
            return body.Error is { } invalid ? (null, IdentityResults.Error(invalid)) : (fields, null);
        }
    }
}
