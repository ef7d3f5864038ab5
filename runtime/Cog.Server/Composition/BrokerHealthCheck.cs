using Cog.Runtime.Mqtt.Transport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cog.Server.Composition;

/// <summary>Readiness: the server's MQTT connection to the broker (embedded or external) is up. Without it no command
/// reaches a relay, so the server is not ready; the transport reconnects by itself.</summary>
sealed class BrokerHealthCheck(MqttRelayTransport transport) : IHealthCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = "broker";

    /// <summary>The description while the connection is down.</summary>
    public const string NotConnected = "Not connected to the MQTT broker; reconnecting.";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(transport.IsConnected ? HealthCheckResult.Healthy() : new HealthCheckResult(context.Registration.FailureStatus, NotConnected));
}
