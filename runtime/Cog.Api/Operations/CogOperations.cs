using System.Text.Json;
using Cog.Runtime.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace Cog.Api.Operations;

/// <summary>Health and metrics (docs/api.md "Health and metrics"): <c>GET /health/live</c>, <c>GET /health/ready</c>
/// (ASP.NET Core health checks) and <c>GET /metrics</c> (Prometheus text format through OpenTelemetry). All three are
/// anonymous.</summary>
/// <remarks>
/// <para><b>Readiness.</b> Every check tagged <see cref="ReadyTag"/> must pass; the store check is built in. A host adds
/// its own with <see cref="AddReadinessCheck{T}"/> (e.g. the MQTT broker):
/// <c>services.AddHealthChecks().AddReadinessCheck&lt;BrokerHealthCheck&gt;("broker")</c>, and the relays check with
/// <see cref="AddRelaysReadinessCheck"/>. The answer is 200 when all are
/// healthy (or degraded), 503 otherwise, with <c>{"status":…,"checks":{name:{"status","description"}},"not_ready":[names]}</c>.</para>
/// <para><b>Metrics.</b> The <see cref="CogMetrics.MeterName"/> meter plus ASP.NET Core's and Kestrel's own meters
/// (request counts and durations by route and status).</para>
/// </remarks>
public static class CogOperations
{
    /// <summary>The tag of readiness checks.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The name of the built-in store check.</summary>
    public const string StoreCheck = "store";

    /// <summary>The name of the check that every stored rule and enabled bundle manifest loads.</summary>
    public const string StoredObjectsCheck = "stored_objects";

    /// <summary>Registers the readiness checks of the store and of the stored objects (the host provides
    /// <see cref="Runtime.Pipeline.IStoredObjectProblems"/>), <see cref="CogMetrics"/> and the OpenTelemetry metrics pipeline
    /// with its Prometheus exporter.</summary>
    public static IServiceCollection AddCogOperations(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHealthChecks().AddReadinessCheck<StoreHealthCheck>(StoreCheck).AddReadinessCheck<StoredObjectsHealthCheck>(StoredObjectsCheck);
        services.AddMetrics();
        services.TryAddSingleton<CogMetrics>();
        services.AddOpenTelemetry().WithMetrics(static metrics => metrics
            .AddMeter(CogMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>The name of the check that every enabled bundle has a relay online (<see cref="AddRelaysReadinessCheck"/>).</summary>
    public const string RelaysCheck = "relays";

    /// <summary>Adds the readiness check <see cref="RelaysCheck"/>: every enabled bundle has a relay online that announced
    /// its enabled version, degraded otherwise (the host provides <see cref="Runtime.Bundles.BundleRegistry"/> and
    /// <see cref="Runtime.Relays.RelayRegistry"/>).</summary>
    public static IHealthChecksBuilder AddRelaysReadinessCheck(this IHealthChecksBuilder builder) =>
        builder.AddReadinessCheck<RelaysHealthCheck>(RelaysCheck);

    /// <summary>Adds a readiness check (tagged <see cref="ReadyTag"/>).</summary>
    public static IHealthChecksBuilder AddReadinessCheck<T>(this IHealthChecksBuilder builder, string name)
        where T : class, IHealthCheck
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<T>(name, HealthStatus.Unhealthy, [ReadyTag]);
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapCogOperations(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = static _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        endpoints.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return endpoints;
    }

    static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = new Dictionary<string, object>(StringComparer.Ordinal);
        var notReady = new List<string>();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new { status = Name(entry.Status), description = entry.Description };
            if (entry.Status == HealthStatus.Unhealthy)
                notReady.Add(name);
        }
        notReady.Sort(StringComparer.Ordinal);
        return context.Response.WriteAsJsonAsync(new { status = Name(report.Status), checks, not_ready = notReady }, Json);
    }

    static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DictionaryKeyPolicy = null };
}
