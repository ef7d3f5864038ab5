using System.Security.Claims;
using System.Text.Encodings.Web;
using Cog.Runtime.Identity;
using Cog.Runtime.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cog.Api.Infrastructure;

/// <summary>The REST API's authentication: <c>Authorization: token &lt;value&gt;</c>, looked up by
/// its hash (<see cref="ApiTokenHash"/>) in the store, refused when expired or when its user is inactive.</summary>
/// <remarks>Answers exactly as Cog 1.0: an unknown or missing token → 401 with an empty body; an expired one → 401
/// <c>{"error":"token expired"}</c>; an authenticated caller without the permission → 403
/// <c>{"error":"Not authorized."}</c>. <c>Bearer</c> is accepted as a synonym of <c>token</c>. The token itself is never
/// logged.</remarks>
sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IStore store, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "CogToken";

    const string ExpiredKey = "cog.token_expired";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadToken(Request.Headers.Authorization.ToString(), out var token))
            return AuthenticateResult.NoResult();
        var stored = await store.Tokens.FindByHashAsync(ApiTokenHash.Compute(token), Context.RequestAborted);
        if (stored is null)
            return AuthenticateResult.Fail("unknown token");
        if (stored.ExpiresAt <= time.GetUtcNow())
        {
            Context.Items[ExpiredKey] = true;
            return AuthenticateResult.Fail("token expired");
        }
        var user = await store.Users.GetAsync(stored.UserId, Context.RequestAborted);
        if (user is null || !user.Active)
            return AuthenticateResult.Fail("unknown user");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Username)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Context.Items.ContainsKey(ExpiredKey)
            ? Response.WriteAsJsonAsync(new { error = ApiMessages.TokenExpired })
            : Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new { error = ApiMessages.NotAuthorized });
    }

    /// <summary>Reads <c>token X</c> or <c>Bearer X</c> (scheme case-insensitive).</summary>
    internal static bool TryReadToken(string header, out string token)
    {
        token = "";
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
            return false;
        var scheme = header.AsSpan(0, space);
        if (!scheme.Equals("token", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return false;
        token = header[(space + 1)..].Trim();
        return token.Length > 0;
    }
}
