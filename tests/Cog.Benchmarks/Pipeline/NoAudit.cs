using Cog.Runtime.Pipeline;

namespace Cog.Benchmarks.Pipeline;

/// <summary>Records nothing: what the engine costs on its own.</summary>
sealed class NoAudit : IPipelineAudit
{
    public ValueTask RecordAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> RecordOrSpoolAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
