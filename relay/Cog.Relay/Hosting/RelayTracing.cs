using System.Diagnostics;

namespace Cog.Relay.Hosting;

/// <summary>The relay's spans: one <see cref="ActivitySource"/> named <see cref="SourceName"/>. The invocation runner
/// starts <c>cog.relay.invocation</c> (a child of the server's <c>cog.mqtt.publish</c>, whose context arrives in the
/// invocation's MQTT user properties) and <c>cog.command</c> under it.</summary>
/// <remarks>BCL only, so the bundle test kit, which runs the same invocation runner, needs no OpenTelemetry: the relay
/// executable attaches the SDK (<see cref="RelayTelemetry"/>). With no listener, nothing is recorded and nothing
/// costs.</remarks>
static class RelayTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "Cog.Relay";

    /// <summary>The source of the relay's spans (a process-wide immutable singleton, as .NET's tracing API intends).</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(RelayTracing).Assembly.GetName().Version?.ToString());
}
