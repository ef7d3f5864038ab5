using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Cog.Runtime.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>GET/POST /v1/bootstrap</c>, no authentication: the status
/// <c>{"bootstrap": {"bootstrap_status": bool}}</c>; bootstrap with an optional <c>{"user": {...}}</c> → 200
/// <c>{"bootstrap": {"username", "password"}}</c>, already done → 423 <c>{"errors": {"bootstrap": "Already bootstrapped"}}</c>,
/// failure → 422.</summary>
static class BootstrapEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/bootstrap", (Delegate)StatusAsync).AllowAnonymous();
        endpoints.MapPost("/v1/bootstrap", (Delegate)BootstrapAsync).AllowAnonymous();
    }

    static async Task<IResult> StatusAsync(HttpContext context)
    {
        var bootstrap = context.RequestServices.GetRequiredService<Bootstrap>();
        var done = await bootstrap.IsBootstrappedAsync(context.RequestAborted);
        return IdentityResults.Envelope("bootstrap", new { bootstrap_status = done });
    }

    static async Task<IResult> BootstrapAsync(HttpContext context)
    {
        var bootstrap = context.RequestServices.GetRequiredService<Bootstrap>();
        if (await bootstrap.IsBootstrappedAsync(context.RequestAborted))
            return Locked();
        UserFields? user = null;
        if (context.Request.ContentLength is not 0 && (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0))
        {
            var (document, error) = await ApiJson.ReadDocumentAsync(context.Request);
            if (document is null)
                return error!;
            using (document)
            {
                if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && document.RootElement.TryGetProperty("user", out var envelope))
                {
                    var fields = new BodyFields(envelope);
                    user = new UserFields(fields.String("username"), fields.String("email_address"), fields.String("first_name"),
                        fields.String("last_name"), fields.String("password"));
                    if (fields.Error is { } invalid)
                        return IdentityResults.Error(invalid);
                }
            }
        }
        var result = await bootstrap.BootstrapAsync(user, AdminActor.Api(null), context.RequestAborted);
        if (!result.IsSuccess)
            return result.Error.Kind == AdminErrorKind.Locked ? Locked() : IdentityResults.Error(result.Error);
        return IdentityResults.Envelope("bootstrap", new { username = result.Value!.Username, password = result.Value.Password });
    }

    static IResult Locked() => Results.Json(new { errors = new { bootstrap = IdentityMessages.AlreadyBootstrapped } }, ApiJson.Options,
        statusCode: StatusCodes.Status423Locked);
}
