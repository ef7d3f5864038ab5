using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cog.Relay.Hosting;

/// <summary>The relay executable's OpenTelemetry: when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) variable is set, the <see cref="RelayTracing"/> spans are exported over
/// OTLP (protocol, headers and the rest from the other standard OTEL_* variables) with the resource
/// <c>service.name</c> <see cref="ServiceName"/> and <c>service.instance.id</c> the relay's id. Otherwise nothing is
/// built and no span is created.</summary>
static class RelayTelemetry
{
    /// <summary>The relay's <c>service.name</c>.</summary>
    public const string ServiceName = "cog-relay";

    /// <summary>Starts exporting when an endpoint is configured in <paramref name="environment"/>; dispose the result
    /// at exit (it sends what is buffered). Null when nothing is exported.</summary>
    public static TracerProvider? Start(string relayId, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!IsConfigured(environment))
        {
            return null;
        }
        return OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: RelayVersion(), serviceInstanceId: relayId))
            .AddSource(RelayTracing.SourceName)
            .AddOtlpExporter()
            .Build();
    }

    /// <summary>Whether <paramref name="environment"/> names an OTLP endpoint for traces.</summary>
    public static bool IsConfigured(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.TryGetValue("OTEL_EXPORTER_OTLP_ENDPOINT", out var all) && all.Length > 0
            || environment.TryGetValue("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", out var traces) && traces.Length > 0;
    }

    static string? RelayVersion() => typeof(RelayTelemetry).Assembly.GetName().Version?.ToString();
}
