using System.Buffers;
using System.Text;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Audit;

/// <summary>Records the pipeline engine's events in the audit log, one record per event, each call's events in one
/// transaction, durably before the engine goes on (<see cref="IPipelineAudit"/>'s contract, through
/// <see cref="AuditWriter"/>'s group commit).</summary>
/// <remarks>Record kinds: <c>pipeline.started</c>, <c>invocation.decided</c> (outcome <c>allowed</c>, <c>denied</c>,
/// <c>no_rule</c> or <c>evaluation_failed</c>, whose payload has the <c>reason</c>), <c>invocation.completed</c> (<c>ok</c>, <c>abort</c> or <c>error</c>), <c>pipeline.ended</c> and
/// <c>pipeline.explained</c> (outcome <c>allowed</c>, <c>denied</c>, <c>no_rule</c> or <c>error</c>; the payload has
/// every stage's decision and deciding rule). A decision or explained stage whose command came from aliases has
/// <c>"aliases": [{"name", "visibility": "user"|"site", "owner"}]</c>, the alias the caller wrote first (a user alias's
/// owner is the caller; a site alias has none). The
/// actor is the Cog username; the command is the bound invocation text (the pipeline text for pipeline records).</remarks>
/// <param name="writer">The audit writer.</param>
/// <param name="instance">The server instance's name, recorded in <c>pipeline.started</c> (<c>"instance"</c>) so that a
/// server restarted after a crash finds the pipelines it left running (<see cref="InterruptedPipelines"/>); <see langword="null"/>
/// records none.</param>
public sealed class PipelineAuditLog(AuditWriter writer, string? instance = null) : IPipelineAudit
{
    /// <inheritdoc/>
    public ValueTask RecordAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken) =>
        new(writer.AppendAsync(Entries(events), cancellationToken));

    /// <inheritdoc/>
    public async ValueTask<bool> RecordOrSpoolAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken) =>
        await writer.AppendOrSpoolAsync(Entries(events), cancellationToken).ConfigureAwait(false) == AuditDelivery.Spooled;

    AuditEntry[] Entries(IReadOnlyList<PipelineEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var entries = new AuditEntry[events.Count];
        for (var i = 0; i < entries.Length; i++)
            entries[i] = events[i] is PipelineStarted started ? ToEntry(started, instance) : ToEntry(events[i]);
        return entries;
    }

    /// <summary>The audit entry for one event.</summary>
    public static AuditEntry ToEntry(PipelineEvent pipelineEvent) => pipelineEvent switch
    {
        PipelineStarted e => ToEntry(e, null),
        InvocationDecided e => new AuditEntry(e.At, "invocation.decided", e.Caller.Username, e.InvocationText, Name(e.Outcome), Payload(e, static (w, e) =>
        {
            Caller(w, e.Caller);
            Room(w, e.Room);
            w.WriteNumber("stage", e.Stage);
            w.WriteString("invocation", e.InvocationText);
            w.WriteString("decision", Name(e.Outcome));
            if (e.DecidingRule is not null)
                w.WriteString("rule", e.DecidingRule);
            if (e.Missing.Count > 0)
            {
                w.WriteStartArray("missing");
                foreach (var permission in e.Missing)
                    w.WriteStringValue(permission);
                w.WriteEndArray();
            }
            w.WriteBoolean("preview", e.Preview);
            Aliases(w, e.Aliases, e.Caller);
            if (e.Reason is not null)
                w.WriteString("reason", e.Reason);
        })),
        InvocationCompleted e => new AuditEntry(e.At, "invocation.completed", null, e.InvocationText, Name(e.Status), Payload(e, static (w, e) =>
        {
            w.WriteNumber("stage", e.Stage);
            w.WriteString("invocation", e.InvocationText);
            if (e.RelayId is not null)
                w.WriteString("relay", e.RelayId);
            w.WriteString("status", Name(e.Status));
            if (e.Message is not null)
                w.WriteString("message", e.Message);
            w.WriteNumber("duration_ms", (long)e.Duration.TotalMilliseconds);
        })),
        PipelineEnded e => new AuditEntry(e.At, "pipeline.ended", null, null, Name(e.Status), Payload(e, static (w, e) =>
        {
            w.WriteString("status", Name(e.Status));
            if (e.Message is not null)
                w.WriteString("message", e.Message);
            w.WriteNumber("duration_ms", (long)e.Duration.TotalMilliseconds);
        })),
        PipelineExplained e => new AuditEntry(e.At, "pipeline.explained", e.RequestedBy ?? e.Caller.Username, e.Text, Name(e.Decision), Payload(e, static (w, e) =>
        {
            Caller(w, e.Caller);
            if (e.RequestedBy is not null)
                w.WriteString("requested_by", e.RequestedBy);
            Room(w, e.Room);
            w.WriteString("text", e.Text);
            w.WriteString("decision", Name(e.Decision));
            if (e.Message is not null)
                w.WriteString("message", e.Message);
            w.WriteStartArray("stages");
            foreach (var stage in e.Stages)
            {
                w.WriteStartObject();
                w.WriteNumber("stage", stage.Stage);
                w.WriteString("invocation", stage.Invocation);
                w.WriteString("decision", Name(stage.Decision));
                if (stage.Rule is not null)
                    w.WriteString("rule", stage.Rule);
                if (!stage.Missing.IsDefaultOrEmpty)
                {
                    w.WriteStartArray("missing");
                    foreach (var permission in stage.Missing)
                        w.WriteStringValue(permission);
                    w.WriteEndArray();
                }
                Aliases(w, stage.Aliases, e.Caller);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        })),
        _ => throw new ArgumentException($"Unknown pipeline event {pipelineEvent.GetType().Name}.", nameof(pipelineEvent)),
    };

    static AuditEntry ToEntry(PipelineStarted started, string? instance) =>
        new(started.At, "pipeline.started", started.Caller.Username, started.Text, null, Payload((started, instance), started.PipelineId, static (w, s) =>
        {
            Caller(w, s.started.Caller);
            Room(w, s.started.Room);
            w.WriteString("text", s.started.Text);
            if (s.instance is not null)
                w.WriteString("instance", s.instance);
        }));

    static string Payload<T>(T pipelineEvent, Action<Utf8JsonWriter, T> write)
        where T : PipelineEvent => Payload(pipelineEvent, pipelineEvent.PipelineId, write);

    static string Payload<T>(T value, string pipelineId, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("pipeline_id", pipelineId);
            write(writer, value);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static void Caller(Utf8JsonWriter writer, PipelineCaller caller)
    {
        writer.WriteStartObject("caller");
        writer.WriteString("user_id", caller.UserId);
        writer.WriteString("username", caller.Username);
        writer.WriteString("chat_handle", caller.ChatHandle);
        writer.WriteString("provider", caller.Provider);
        writer.WriteEndObject();
    }

    static void Aliases(Utf8JsonWriter writer, IReadOnlyList<AliasExpansion> aliases, PipelineCaller caller)
    {
        if (aliases.Count == 0)
            return;
        writer.WriteStartArray("aliases");
        foreach (var alias in aliases)
        {
            writer.WriteStartObject();
            writer.WriteString("name", alias.Name);
            writer.WriteString("visibility", alias.Visibility == AliasVisibility.User ? "user" : "site");
            if (alias.Visibility == AliasVisibility.User)
                writer.WriteString("owner", caller.Username);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    static void Room(Utf8JsonWriter writer, PipelineRoom room)
    {
        writer.WriteStartObject("room");
        writer.WriteString("name", room.Name);
        writer.WriteBoolean("is_direct", room.IsDirect);
        writer.WriteEndObject();
    }

    static string Name(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Allowed => "allowed",
        RuleOutcome.Denied => "denied",
        RuleOutcome.EvaluationFailed => "evaluation_failed",
        _ => "no_rule",
    };

    static string Name(ExplanationDecision decision) => decision switch
    {
        ExplanationDecision.Allowed => "allowed",
        ExplanationDecision.Denied => "denied",
        ExplanationDecision.NoRule => "no_rule",
        ExplanationDecision.EvaluationFailed => "evaluation_failed",
        _ => "error",
    };

    static string Name(StageDecision decision) => decision switch
    {
        StageDecision.Allowed => "allowed",
        StageDecision.Denied => "denied",
        StageDecision.NoRule => "no_rule",
        StageDecision.EvaluationFailed => "evaluation_failed",
        StageDecision.Deferred => "deferred",
        _ => "not_reached",
    };

    static string Name(ResultStatus status) => status switch
    {
        ResultStatus.Ok => "ok",
        ResultStatus.Abort => "abort",
        _ => "error",
    };

    static string Name(PipelineStatus status) => status switch
    {
        PipelineStatus.Succeeded => "succeeded",
        PipelineStatus.NoOutput => "no_output",
        PipelineStatus.Aborted => "aborted",
        PipelineStatus.PlanningFailed => "planning_failed",
        _ => "execution_failed",
    };
}
