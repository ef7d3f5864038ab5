using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Cog.Runtime.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Identity;

/// <summary><c>POST /v1/token</c>: <c>{"username"|"email", "password"}</c> (JSON or form) → 201
/// <c>{"token": {"value": "..."}}</c>; invalid credentials → 403 <c>{"errors": "Invalid credentials"}</c>; missing
/// fields → 401; too many attempts from the client's address, or too many failures for that username from it → 429 with
/// <c>Retry-After</c> (seconds) and <c>{"errors": "Too many sign-in attempts. Try again in N seconds."}</c>, no password
/// checked (<see cref="SignInThrottle"/>). No authentication. The web console signs in here too.</summary>
static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost("/v1/token", (Delegate)IssueAsync).AllowAnonymous();

    static async Task<IResult> IssueAsync(HttpContext context)
    {
        string? username, email, password;
        if (context.Request.HasFormContentType)
        {
            // A form's bytes must be UTF-8 as a JSON body's must (400 at the first bad byte): the form reader would
            // replace them and check a password nobody typed. The body is read once to check it, then parsed again.
            context.Request.EnableBuffering();
            var (_, unreadable) = await ApiJson.ReadBodyAsync(context.Request);
            if (unreadable is not null)
                return unreadable;
            context.Request.Body.Position = 0;
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
        var clientAddress = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var result = await tokens.IssueAsync(string.IsNullOrEmpty(username) ? null : username, email, password, clientAddress, context.RequestAborted);
        if (result.IsThrottled)
        {
            var seconds = (int)Math.Ceiling(result.RetryAfter.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiResults.Errors(IdentityMessages.TooManySignIns(seconds), StatusCodes.Status429TooManyRequests);
        }
        return result.Token is null
            ? ApiResults.Errors(IdentityMessages.InvalidCredentials, StatusCodes.Status403Forbidden)
            : IdentityResults.Envelope("token", new { value = result.Token.Value }, StatusCodes.Status201Created);
    }
}
