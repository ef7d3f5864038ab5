namespace Cog.Runtime.Pipeline;

/// <summary>Which pipelines of the history to list (<see cref="IHistoryStore.QueryAsync"/>); every filter given must hold.</summary>
/// <param name="Limit">At most this many, taken from the newest end (or the oldest, with <see cref="OldestFirst"/>).</param>
public sealed record HistoryQuery(int Limit)
{
    /// <summary>Only this user's pipelines; <see langword="null"/> for every user's.</summary>
    public string? UserId { get; init; }

    /// <summary>Only pipelines in this state.</summary>
    public PipelineState? State { get; init; }

    /// <summary>Only pipelines running or waiting (not finished, not interrupted).</summary>
    public bool Unfinished { get; init; }

    /// <summary>Only pipelines whose per-user index is at least this.</summary>
    public long? FromIndex { get; init; }

    /// <summary>Only pipelines whose per-user index is at most this.</summary>
    public long? ToIndex { get; init; }

    /// <summary>Only pipelines whose id starts with this (ids are shown shortened).</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Whether to take the oldest pipelines first, in ascending order; otherwise the newest, in descending
    /// order. Order is by the per-user index when <see cref="UserId"/> is given, else by start time.</summary>
    public bool OldestFirst { get; init; }
}
