using System.Diagnostics.Metrics;
using Cog.Contracts.Relays;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Diagnostics;

/// <summary>Cog's own metrics (Prometheus metrics): one <see cref="Meter"/> named <see cref="MeterName"/>
/// with the instruments below. API requests are not counted here: ASP.NET Core's own meters
/// (<c>Microsoft.AspNetCore.Hosting</c>) measure them.</summary>
/// <remarks>
/// <para>Instruments (OpenTelemetry names; the Prometheus exporter turns dots into underscores and adds unit suffixes):
/// <c>cog.pipelines</c> (counter, tags <c>cog.pipeline.status</c> and <c>cog.pipeline.provider</c>),
/// <c>cog.pipeline.duration</c> (histogram, seconds, tag <c>cog.pipeline.status</c>),
/// <c>cog.invocations</c> (counter, tags <c>cog.invocation.status</c> and <c>cog.bundle</c>),
/// <c>cog.audit.write.duration</c> (histogram, seconds, tag <c>cog.audit.result</c>: <c>ok</c> or <c>failed</c>),
/// <c>cog.trigger.requests</c> (counter, tag <c>http.response.status_code</c>).</para>
/// <para>Callers: <see cref="MeteredPipelineRunner"/>, <see cref="MeteredCommandExecutor"/> and
/// <see cref="MeteredAuditStore"/> record around the real services, so nothing else needs to call the methods; a
/// runner may call <see cref="PipelineCompleted"/> itself instead of being wrapped. The trigger endpoint calls
/// <see cref="TriggerAnswered"/>.</para>
/// <para>Thread-safe; recording never throws and costs nothing when no listener is attached.</para>
/// </remarks>
public sealed class CogMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Cog";

    readonly Counter<long> _pipelines;
    readonly Histogram<double> _pipelineDuration;
    readonly Counter<long> _invocations;
    readonly Histogram<double> _auditWrite;
    readonly Counter<long> _triggerRequests;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (which owns and disposes it).</summary>
    public CogMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _pipelines = meter.CreateCounter<long>("cog.pipelines", "{pipeline}", "Pipelines that ended, by final status.");
        _pipelineDuration = meter.CreateHistogram<double>("cog.pipeline.duration", "s", "How long pipelines ran, start to end.");
        _invocations = meter.CreateCounter<long>("cog.invocations", "{invocation}", "Command invocations that ended, by status.");
        _auditWrite = meter.CreateHistogram<double>("cog.audit.write.duration", "s", "How long a durable audit append took.");
        _triggerRequests = meter.CreateCounter<long>("cog.trigger.requests", "{request}", "Trigger invocations answered, by HTTP status.");
    }

    /// <summary>A pipeline ended.</summary>
    /// <param name="provider">Where it came from (<see cref="PipelineCaller.Provider"/>).</param>
    /// <param name="status">How it ended.</param>
    /// <param name="duration">How long it ran.</param>
    public void PipelineCompleted(string provider, PipelineStatus status, TimeSpan duration)
    {
        var statusTag = new KeyValuePair<string, object?>("cog.pipeline.status", StatusName(status));
        _pipelines.Add(1, statusTag, new KeyValuePair<string, object?>("cog.pipeline.provider", provider));
        _pipelineDuration.Record(duration.TotalSeconds, statusTag);
    }

    /// <summary>One invocation of a command ended.</summary>
    public void InvocationCompleted(string bundle, ResultStatus status) =>
        _invocations.Add(1, new KeyValuePair<string, object?>("cog.invocation.status", status switch
        {
            ResultStatus.Ok => "ok",
            ResultStatus.Abort => "abort",
            _ => "error",
        }), new KeyValuePair<string, object?>("cog.bundle", bundle));

    /// <summary>An audit append ended (committed or failed).</summary>
    public void AuditWritten(TimeSpan duration, bool succeeded) =>
        _auditWrite.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("cog.audit.result", succeeded ? "ok" : "failed"));

    /// <summary>A trigger invocation was answered with <paramref name="statusCode"/>.</summary>
    public void TriggerAnswered(int statusCode) =>
        _triggerRequests.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));

    /// <summary>The snake_case name of a status, as the API and the metrics write it.</summary>
    public static string StatusName(PipelineStatus status) => status switch
    {
        PipelineStatus.Succeeded => "succeeded",
        PipelineStatus.NoOutput => "no_output",
        PipelineStatus.Aborted => "aborted",
        PipelineStatus.PlanningFailed => "planning_failed",
        _ => "execution_failed",
    };
}
