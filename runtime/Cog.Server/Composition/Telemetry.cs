using Cog.Runtime.Diagnostics;
using Cog.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cog.Server.Composition;

/// <summary>The server's OpenTelemetry: its resource (<c>service.name</c> <see cref="ServiceName"/>,
/// <c>service.instance.id</c> the instance name, <c>service.version</c>), and, when an OTLP endpoint is configured
/// (<see cref="TelemetryOptions.OtlpEndpoint"/> or the standard OTEL_* variables), traces of the <see cref="CogTracing"/>
/// source and of ASP.NET Core's requests, and metrics, exported over OTLP.</summary>
/// <remarks>The metrics pipeline itself (the Cog and ASP.NET Core meters, the Prometheus exporter behind
/// <c>/metrics</c>) is registered with the API (<c>AddCogOperations</c>); this adds the resource every exporter
/// reports and the OTLP exporters. With no endpoint, no tracer provider is built: no span is ever created.</remarks>
static class Telemetry
{
    /// <summary>The server's <c>service.name</c>.</summary>
    public const string ServiceName = "cog-server";

    /// <summary>The standard variables that configure an OTLP exporter (all signals, or traces only).</summary>
    static readonly string[] OtlpVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    /// <summary>Registers the resource, and the tracer provider and OTLP exporters when an endpoint is configured.</summary>
    public static IServiceCollection AddCogTelemetry(this IServiceCollection services, TelemetryOptions options, string instanceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: CogServer.Version, serviceInstanceId: instanceName));
        if (!IsExported(options))
            return services;
        telemetry
            .WithTracing(tracing => tracing
                .AddSource(CogTracing.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(otlp => Configure(otlp, options, "traces")))
            .WithMetrics(metrics => metrics.AddOtlpExporter(otlp => Configure(otlp, options, "metrics")));
        return services;
    }

    /// <summary>Whether traces and metrics are exported: an endpoint in the settings or in the standard variables.</summary>
    public static bool IsExported(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.OtlpEndpoint is not null || OtlpVariables.Any(static v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
    }

    /// <summary>Gives the configured endpoint to a relay process the server starts (dev mode), in the standard variables
    /// the relay reads; without one, the relay inherits the server's own OTEL_* variables.</summary>
    public static void PassTo(TelemetryOptions options, IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (options.OtlpEndpoint is not { } endpoint)
            return;
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = options.OtlpProtocol;
    }

    /// <summary>The settings' endpoint and protocol, when set, over whatever the variables said. Over HTTP the exporter
    /// posts to the URL it is given, so the signal's path (<c>/v1/traces</c>, <c>/v1/metrics</c>) is added here, as the
    /// variables' convention does.</summary>
    static void Configure(OtlpExporterOptions otlp, TelemetryOptions options, string signal)
    {
        if (options.OtlpEndpoint is not { } endpoint)
            return;
        if (options.OtlpProtocol == TelemetryOptions.HttpProtobuf)
        {
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
            otlp.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/" + signal);
        }
        else
        {
            otlp.Protocol = OtlpExportProtocol.Grpc;
            otlp.Endpoint = new Uri(endpoint);
        }
    }
}
