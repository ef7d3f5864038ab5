namespace Cog.Runtime.Pipeline;

/// <summary>A pipeline in a user's history (<c>history</c>, <c>!!</c>, <c>pipeline list/info</c>).</summary>
/// <param name="Id">The pipeline id (UUID string).</param>
/// <param name="UserId">Who ran it.</param>
/// <param name="Index">The per-user sequence number, from 1 (assigned by <see cref="IHistoryStore.AddAsync"/>).</param>
/// <param name="Text">The pipeline text as typed.</param>
/// <param name="Room">The room name, or <see langword="null"/>.</param>
/// <param name="Provider">The chat provider, or <see langword="null"/>.</param>
/// <param name="Count">Items processed so far.</param>
/// <param name="State">The state.</param>
/// <param name="StartedAt">Start time.</param>
/// <param name="FinishedAt">End time, once finished.</param>
public sealed record PipelineHistoryEntry(
    string Id, string UserId, long Index, string Text, string? Room, string? Provider, long Count, PipelineState State,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>The server instance that ran it (<c>ServerOptions.InstanceName</c>), or <see langword="null"/> when not
    /// known (recorded before instances were).</summary>
    public string? Instance { get; init; }
}
