using Microsoft.AspNetCore.Routing;

namespace Cog.Api.Identity;

/// <summary>The identity and access routes (docs/api.md): token, bootstrap, users, chat
/// handles, groups, roles, permissions. Their services: <see cref="IdentityServices"/>.</summary>
public static class IdentityEndpoints
{
    /// <summary>Maps every identity route onto <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        TokenEndpoints.Map(endpoints);
        BootstrapEndpoints.Map(endpoints);
        UserEndpoints.Map(endpoints);
        ChatHandleEndpoints.Map(endpoints);
        GroupEndpoints.Map(endpoints);
        RoleEndpoints.Map(endpoints);
        PermissionEndpoints.Map(endpoints);
        return endpoints;
    }
}
