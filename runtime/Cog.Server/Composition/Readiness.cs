using Cog.Api.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Server.Composition;

/// <summary>The server's readiness checks beyond the API's own (store, stored objects): the broker connection
/// (<see cref="BrokerHealthCheck"/>, not ready while down) and a relay online for every enabled bundle
/// (<see cref="CogOperations.RelaysCheck"/>, degraded otherwise).</summary>
static class Readiness
{
    /// <summary>Registers both checks; the container must hand out the MQTT transport and the two registries.</summary>
    public static IServiceCollection AddCogReadiness(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHealthChecks().AddReadinessCheck<BrokerHealthCheck>(BrokerHealthCheck.Name).AddRelaysReadinessCheck();
        return services;
    }
}
