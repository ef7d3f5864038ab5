using System.Collections.Concurrent;
using Cog.Runtime.Pipeline;

namespace Cog.Sdk.Testing;

/// <summary>The audit log of one run, kept in memory: where the run's access decisions are read from, so a test sees
/// exactly what the server would record.</summary>
sealed class RecordingAudit : IPipelineAudit
{
    readonly ConcurrentQueue<PipelineEvent> _events = new();

    public IEnumerable<PipelineEvent> Events => _events;

    public ValueTask RecordAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
            _events.Enqueue(recorded);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> RecordOrSpoolAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken)
    {
        await RecordAsync(events, cancellationToken).ConfigureAwait(false);
        return false;
    }
}
