using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Infrastructure;

/// <summary>The authenticated caller of a request.</summary>
/// <param name="UserId">The Cog user's id.</param>
/// <param name="Username">The Cog username (the actor of audit records).</param>
public sealed record ApiCaller(string UserId, string Username)
{
    /// <summary>The caller of an authenticated request (endpoints that require authorization always have one).</summary>
    public static ApiCaller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        return new ApiCaller(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request is not authenticated."),
            user.FindFirstValue(ClaimTypes.Name)!);
    }
}
