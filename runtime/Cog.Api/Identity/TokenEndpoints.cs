using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Cog.Runtime.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>POST /v1/token</c> (reference §4.4): <c>{"username"|"email", "password"}</c> (JSON or form) → 201
/// <c>{"token": {"value": "..."}}</c>; invalid credentials → 403 <c>{"errors": "Invalid credentials"}</c>; missing
/// fields → 401. No authentication.</summary>
static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost("/v1/token", (Delegate)IssueAsync).AllowAnonymous();

    static async Task<IResult> IssueAsync(HttpContext context)
    {
        string? username, email, password;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            (username, email, password) = (form["username"].FirstOrDefault(), form["email"].FirstOrDefault(), form["password"].FirstOrDefault());
        }
        else
        {
            var (document, error) = await ApiJson.ReadDocumentAsync(context.Request);
            if (document is null)
                return error!;
            using (document)
            {
                var fields = new BodyFields(document.RootElement);
                (username, email, password) = (fields.String("username"), fields.String("email"), fields.String("password"));
            }
        }
        if ((string.IsNullOrEmpty(username) && string.IsNullOrEmpty(email)) || password is null)
            return ApiResults.Errors(IdentityMessages.MissingCredentials, StatusCodes.Status401Unauthorized);

        var tokens = context.RequestServices.GetRequiredService<ApiTokens>();
        var issued = await tokens.IssueAsync(string.IsNullOrEmpty(username) ? null : username, email, password, context.RequestAborted);
        return issued is null
            ? ApiResults.Errors(IdentityMessages.InvalidCredentials, StatusCodes.Status403Forbidden)
            : IdentityResults.Envelope("token", new { value = issued.Value }, StatusCodes.Status201Created);
    }
}
