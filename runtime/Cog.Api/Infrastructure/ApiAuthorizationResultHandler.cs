using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Infrastructure;

/// <summary>Records policy denials (<see cref="ApiDenials"/>) with the permission the caller lacks, then answers as
/// usual (403 from <see cref="TokenAuthenticationHandler"/>).</summary>
sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            string? missing = null;
            foreach (var requirement in authorizeResult.AuthorizationFailure?.FailedRequirements ?? [])
            {
                if (requirement is PermissionRequirement permission)
                {
                    missing = permission.Permission;
                    break;
                }
            }
            await ApiDenials.RecordAsync(context, missing);
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
