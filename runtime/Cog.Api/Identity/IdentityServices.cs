using Cog.Runtime.Administration;
using Cog.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cog.Api.Identity;

/// <summary>The identity services the identity endpoints use, registered by <see cref="CogApi.AddCogApi"/> unless the
/// host registered them first.</summary>
/// <remarks>They need, from the host: <c>IStore</c>, <c>AdminAudit</c>, <c>IDirectoryChanges</c>, <c>TimeProvider</c>;
/// optionally <see cref="PasswordHasherOptions"/> and <see cref="ApiTokenOptions"/> (defaults otherwise) and one
/// <see cref="IChatHandleResolver"/> per chat provider the host runs (a handle on a provider without one is refused).</remarks>
public static class IdentityServices
{
    /// <summary>Registers <see cref="PasswordHasher"/>, <see cref="ApiTokens"/> with its <see cref="SignInThrottle"/>, <see cref="Bootstrap"/> and the user,
    /// group, role and permission administrations as singletons.</summary>
    public static IServiceCollection AddIdentityServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new PasswordHasherOptions());
        services.TryAddSingleton(new ApiTokenOptions());
        services.TryAddSingleton(new SignInThrottleOptions());
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<ApiTokens>();
        services.TryAddSingleton<UserAdministration>();
        services.TryAddSingleton<GroupAdministration>();
        services.TryAddSingleton<RoleAdministration>();
        services.TryAddSingleton<PermissionAdministration>();
        services.TryAddSingleton<Bootstrap>();
        return services;
    }
}
