using Cog.Runtime.Storage;

namespace Cog.Runtime.Pipeline;

/// <summary>Pipeline history.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IHistoryStore
{
    /// <summary>Records a started pipeline, assigning the user's next <see cref="PipelineHistoryEntry.Index"/> (the
    /// given one is ignored). NotFound for an unknown user; Duplicate for an id that exists.</summary>
    Task<StoreResult<PipelineHistoryEntry>> AddAsync(PipelineHistoryEntry entry, CancellationToken cancellationToken);

    /// <summary>Updates a pipeline's state, count and end time. NotFound.</summary>
    Task<StoreResult<PipelineHistoryEntry>> UpdateAsync(
        string id, PipelineState state, long count, DateTimeOffset? finishedAt, CancellationToken cancellationToken);

    /// <summary>The pipeline with this id, or <see langword="null"/>.</summary>
    Task<PipelineHistoryEntry?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>A user's pipeline by its index, or <see langword="null"/>.</summary>
    Task<PipelineHistoryEntry?> FindByIndexAsync(string userId, long index, CancellationToken cancellationToken);

    /// <summary>A user's latest pipelines, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PipelineHistoryEntry>> ListAsync(string userId, int limit, CancellationToken cancellationToken);

    /// <summary>The pipelines <paramref name="query"/> selects, in its order.</summary>
    Task<IReadOnlyList<PipelineHistoryEntry>> QueryAsync(HistoryQuery query, CancellationToken cancellationToken);

    /// <summary>Every pipeline running or waiting (of every user), oldest first.</summary>
    Task<IReadOnlyList<PipelineHistoryEntry>> ListUnfinishedAsync(CancellationToken cancellationToken);
}
