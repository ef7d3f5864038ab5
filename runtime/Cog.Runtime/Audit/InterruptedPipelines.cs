using System.Buffers;
using System.Text;
using System.Text.Json;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Audit;

/// <summary>
/// What a server does at start about the pipelines it was running when it stopped without finishing them (a crash, a
/// <c>kill -9</c>): each history row it left running or waiting becomes <see cref="PipelineState.Interrupted"/>, and the
/// audit log gets a <c>pipeline.interrupted</c> record saying what is known from the records before it — which
/// invocations were decided and dispatched, which completed and on which relay.
/// </summary>
/// <remarks>
/// <para>Run it before the server accepts work (nothing of this instance is running then), after the audit spool has been
/// replayed (a pipeline whose end was spooled is not interrupted). Only rows of this instance (or rows recorded before
/// instances were) are touched, so servers sharing a database leave each other's pipelines alone. A row whose
/// <c>pipeline.ended</c> record is in the audit log finished; only its history row was not updated, and it is marked
/// finished.</para>
/// <para>Record: kind <c>pipeline.interrupted</c>, outcome <c>interrupted</c>, command the pipeline text, actor the
/// system; payload <c>{"pipeline_id", "instance", "user_id", "text", "started_at", "invocations": [{"stage",
/// "invocation", "state": "dispatched"|"completed", "relay", "status"}]}</c>.</para>
/// </remarks>
public static class InterruptedPipelines
{
    /// <summary>The audit record kind.</summary>
    public const string Kind = "pipeline.interrupted";

    const int Page = 1000;

    /// <summary>Marks the pipelines <paramref name="instance"/> left running (the caller's own at its start, or a dead
    /// peer's); returns them with the state each was given (<see cref="PipelineState.Interrupted"/>, or
    /// <see cref="PipelineState.Finished"/> when its end was in the audit log).</summary>
    public static async Task<IReadOnlyList<PipelineHistoryEntry>> MarkAsync(
        IHistoryStore history, IAuditStore audit, AuditWriter writer, string instance, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        var left = (await history.ListUnfinishedAsync(cancellationToken).ConfigureAwait(false))
            .Where(e => e.Instance is null || string.Equals(e.Instance, instance, StringComparison.Ordinal))
            .ToList();
        if (left.Count == 0)
            return [];
        var known = await ReadWhatIsKnownAsync(audit, left, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var marked = new List<PipelineHistoryEntry>(left.Count);
        foreach (var entry in left)
        {
            var pipeline = known[entry.Id];
            if (pipeline.Ended)
            {
                await history.UpdateAsync(entry.Id, PipelineState.Finished, entry.Count, now, cancellationToken).ConfigureAwait(false);
                marked.Add(entry with { State = PipelineState.Finished, FinishedAt = now });
                continue;
            }
            await writer.AppendAsync(Record(entry, instance, pipeline, now), cancellationToken).ConfigureAwait(false);
            await history.UpdateAsync(entry.Id, PipelineState.Interrupted, entry.Count, now, cancellationToken).ConfigureAwait(false);
            marked.Add(entry with { State = PipelineState.Interrupted, FinishedAt = now });
        }
        return marked;
    }

    /// <summary>Reads the audit log from the oldest pipeline's start on, keeping the records of these pipelines.</summary>
    static async Task<Dictionary<string, Known>> ReadWhatIsKnownAsync(
        IAuditStore audit, List<PipelineHistoryEntry> pipelines, CancellationToken cancellationToken)
    {
        var known = pipelines.ToDictionary(static e => e.Id, static _ => new Known(), StringComparer.Ordinal);
        // A pipeline's records are written after its history row, by the same server clock; a second of margin.
        var from = pipelines.Min(static e => e.StartedAt) - TimeSpan.FromSeconds(1);
        long after = 0;
        while (true)
        {
            var page = await audit.ListAsync(new AuditQuery(From: from, AfterSequence: after, Limit: Page), cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                using var payload = JsonDocument.Parse(record.PayloadJson);
                var root = payload.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pipeline_id", out var id)
                    || id.GetString() is not { } pipelineId || !known.TryGetValue(pipelineId, out var pipeline))
                    continue;
                switch (record.Kind)
                {
                    case "pipeline.ended":
                    case Kind:
                        pipeline.Ended = true;
                        break;
                    case "invocation.decided" when record.Outcome == "allowed":
                        pipeline.Invocations.Add(new Invocation(root.GetProperty("stage").GetInt32(), root.GetProperty("invocation").GetString()!));
                        break;
                    case "invocation.completed":
                        var stage = root.GetProperty("stage").GetInt32();
                        var text = root.GetProperty("invocation").GetString()!;
                        var dispatched = pipeline.Invocations.FindLast(i => i.Stage == stage && i.Text == text && i.Status is null);
                        if (dispatched is null)
                            pipeline.Invocations.Add(dispatched = new Invocation(stage, text));
                        dispatched.Relay = root.TryGetProperty("relay", out var relay) ? relay.GetString() : null;
                        dispatched.Status = record.Outcome;
                        break;
                }
            }
            if (page.Count < Page)
                return known;
            after = page[^1].Sequence;
        }
    }

    static AuditEntry Record(PipelineHistoryEntry entry, string instance, Known pipeline, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("pipeline_id", entry.Id);
            w.WriteString("instance", instance);
            w.WriteString("user_id", entry.UserId);
            w.WriteString("text", entry.Text);
            w.WriteString("started_at", entry.StartedAt);
            w.WriteStartArray("invocations");
            foreach (var invocation in pipeline.Invocations)
            {
                w.WriteStartObject();
                w.WriteNumber("stage", invocation.Stage);
                w.WriteString("invocation", invocation.Text);
                w.WriteString("state", invocation.Status is null ? "dispatched" : "completed");
                if (invocation.Relay is not null)
                    w.WriteString("relay", invocation.Relay);
                if (invocation.Status is not null)
                    w.WriteString("status", invocation.Status);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return new AuditEntry(now, Kind, null, entry.Text, "interrupted", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    sealed class Known
    {
        public bool Ended { get; set; }

        public List<Invocation> Invocations { get; } = [];
    }

    sealed class Invocation(int stage, string text)
    {
        public int Stage => stage;

        public string Text => text;

        public string? Relay { get; set; }

        public string? Status { get; set; }
    }
}
