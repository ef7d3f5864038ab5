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
/// <c>cog.pipelines.active</c> (up-down counter: pipelines running now, tag <c>cog.pipeline.provider</c>),
/// <c>cog.invocations</c> (counter, tags <c>cog.invocation.status</c> and <c>cog.bundle</c>),
/// <c>cog.invocation.duration</c> (histogram, seconds, tags <c>cog.invocation.status</c> and <c>cog.bundle</c>),
/// <c>cog.invocations.active</c> (up-down counter: invocations dispatched and not ended, tag <c>cog.bundle</c>),
/// <c>cog.audit.write.duration</c> (histogram, seconds, tag <c>cog.audit.result</c>: <c>ok</c> or <c>failed</c>),
/// <c>cog.trigger.requests</c> (counter, tag <c>http.response.status_code</c>), and <c>cog.relays.online</c> (gauge,
/// from <see cref="RelayMetrics"/>).</para>
/// <para>Every duration histogram advises the bucket boundaries <see cref="DurationBuckets"/> (5 ms to 5 minutes, the
/// longest a pipeline may run by default), which OpenTelemetry uses instead of its millisecond defaults: a pipeline of
/// 40 ms and one of 4 s land in different buckets.</para>
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

    /// <summary>The bucket boundaries (seconds) of every duration histogram.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300];

    readonly Counter<long> _pipelines;
    readonly Histogram<double> _pipelineDuration;
    readonly UpDownCounter<long> _pipelinesActive;
    readonly Counter<long> _invocations;
    readonly Histogram<double> _invocationDuration;
    readonly UpDownCounter<long> _invocationsActive;
    readonly Histogram<double> _auditWrite;
    readonly Counter<long> _triggerRequests;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (which owns and disposes it).</summary>
    public CogMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        _pipelines = meter.CreateCounter<long>("cog.pipelines", "{pipeline}", "Pipelines that ended, by final status.");
        _pipelineDuration = meter.CreateHistogram("cog.pipeline.duration", "s", "How long pipelines ran, start to end.", null, seconds);
        _pipelinesActive = meter.CreateUpDownCounter<long>("cog.pipelines.active", "{pipeline}", "Pipelines running now.");
        _invocations = meter.CreateCounter<long>("cog.invocations", "{invocation}", "Command invocations that ended, by status.");
        _invocationDuration = meter.CreateHistogram("cog.invocation.duration", "s",
            "How long command invocations took, dispatch to result, by bundle and status.", null, seconds);
        _invocationsActive = meter.CreateUpDownCounter<long>("cog.invocations.active", "{invocation}",
            "Command invocations dispatched that have not ended yet, by bundle.");
        _auditWrite = meter.CreateHistogram("cog.audit.write.duration", "s", "How long a durable audit append took.", null, seconds);
        _triggerRequests = meter.CreateCounter<long>("cog.trigger.requests", "{request}", "Trigger invocations answered, by HTTP status.");
    }

    /// <summary>A pipeline ended (it was counted by <see cref="PipelineStarted"/>).</summary>
    /// <param name="provider">Where it came from (<see cref="PipelineCaller.Provider"/>).</param>
    /// <param name="status">How it ended.</param>
    /// <param name="duration">How long it ran.</param>
    public void PipelineCompleted(string provider, PipelineStatus status, TimeSpan duration)
    {
        var statusTag = new KeyValuePair<string, object?>("cog.pipeline.status", StatusName(status));
        var providerTag = new KeyValuePair<string, object?>("cog.pipeline.provider", provider);
        _pipelinesActive.Add(-1, providerTag);
        _pipelines.Add(1, statusTag, providerTag);
        _pipelineDuration.Record(duration.TotalSeconds, statusTag);
    }

    /// <summary>A pipeline started (<paramref name="provider"/>: where it came from); <see cref="PipelineCompleted"/>
    /// ends it.</summary>
    public void PipelineStarted(string provider) => _pipelinesActive.Add(1, new KeyValuePair<string, object?>("cog.pipeline.provider", provider));

    /// <summary>One invocation of a command of <paramref name="bundle"/> was dispatched; <see cref="InvocationCompleted"/>
    /// ends it.</summary>
    public void InvocationStarted(string bundle) => _invocationsActive.Add(1, new KeyValuePair<string, object?>("cog.bundle", bundle));

    /// <summary>One invocation of a command ended after <paramref name="duration"/>.</summary>
    public void InvocationCompleted(string bundle, ResultStatus status, TimeSpan duration)
    {
        var bundleTag = new KeyValuePair<string, object?>("cog.bundle", bundle);
        var statusTag = new KeyValuePair<string, object?>("cog.invocation.status", status switch
        {
            ResultStatus.Ok => "ok",
            ResultStatus.Abort => "abort",
            _ => "error",
        });
        _invocationsActive.Add(-1, bundleTag);
        _invocations.Add(1, statusTag, bundleTag);
        _invocationDuration.Record(duration.TotalSeconds, statusTag, bundleTag);
    }

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
