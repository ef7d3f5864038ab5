namespace Cog.Server.Configuration;

/// <summary>Where traces and metrics are exported (<c>Cog:Telemetry</c>). With no endpoint here and none in the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> / <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> variables, nothing is exported and
/// nothing is traced (spans cost nothing); <c>/metrics</c> (Prometheus) is served either way.</summary>
sealed class TelemetryOptions
{
    /// <summary>The OTLP protocol over gRPC (the collector's port 4317).</summary>
    public const string Grpc = "grpc";

    /// <summary>The OTLP protocol over HTTP with protobuf bodies (the collector's port 4318; <c>/v1/traces</c> and
    /// <c>/v1/metrics</c> are appended to the endpoint).</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The OTLP collector's base URL (e.g. <c>http://otel-collector:4317</c>); overrides the OTEL_* variables.
    /// The dev relay gets it too.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><see cref="Grpc"/> (default) or <see cref="HttpProtobuf"/>.</summary>
    public string OtlpProtocol { get; set; } = Grpc;
}
