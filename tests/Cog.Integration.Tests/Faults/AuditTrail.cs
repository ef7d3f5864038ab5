using System.Text.Json;

namespace Cog.Integration.Tests.Faults;

/// <summary>The audit log read back through the API, with the questions the fault scenarios ask of it. Pipelines of
/// these scenarios have one invocation per stage (one input item), so a pipeline id and a stage name an invocation.</summary>
sealed class AuditTrail(IReadOnlyList<JsonElement> records)
{
    public IReadOnlyList<JsonElement> Records => records;

    /// <summary>Allowed decisions that were dispatched (not previews) with no <c>invocation.completed</c> of their
    /// pipeline and stage, and no <c>pipeline.interrupted</c> of their pipeline when <paramref name="orInterrupted"/>.</summary>
    public IReadOnlyList<string> DispatchedWithoutCompletion(bool orInterrupted)
    {
        var completed = Of("invocation.completed").Select(Invocation).ToHashSet();
        var interrupted = Of("pipeline.interrupted").Select(PipelineId).ToHashSet();
        return [.. Of("invocation.decided")
            .Where(r => Outcome(r) == "allowed" && !r.GetProperty("payload").GetProperty("preview").GetBoolean())
            .Where(r => !completed.Contains(Invocation(r)) && !(orInterrupted && interrupted.Contains(PipelineId(r))))
            .Select(r => Invocation(r).ToString())];
    }

    /// <summary>Pipelines with a <c>pipeline.started</c> and neither a <c>pipeline.ended</c> nor a <c>pipeline.interrupted</c>.</summary>
    public IReadOnlyList<string> StartedWithoutEnd()
    {
        var ended = Of("pipeline.ended").Concat(Of("pipeline.interrupted")).Select(PipelineId).ToHashSet();
        return [.. Of("pipeline.started").Select(PipelineId).Where(id => !ended.Contains(id))];
    }

    /// <summary>The <c>invocation.completed</c> records by pipeline id (first stage).</summary>
    public IReadOnlyDictionary<string, JsonElement> CompletionsOfFirstStage() =>
        Of("invocation.completed").Where(r => Stage(r) == 0).ToDictionary(PipelineId, r => r);

    /// <summary>How many records of each pipeline-record kind there are, for failure messages.</summary>
    public string Summary() => string.Join(", ", records.GroupBy(Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));

    IEnumerable<JsonElement> Of(string kind) => records.Where(r => Kind(r) == kind);

    static string Kind(JsonElement record) => record.GetProperty("kind").GetString()!;

    public static string? Outcome(JsonElement record) => record.GetProperty("outcome").GetString();

    static string PipelineId(JsonElement record) => record.GetProperty("payload").GetProperty("pipeline_id").GetString()!;

    static int Stage(JsonElement record) => record.GetProperty("payload").GetProperty("stage").GetInt32();

    static (string Pipeline, int Stage) Invocation(JsonElement record) => (PipelineId(record), Stage(record));
}
