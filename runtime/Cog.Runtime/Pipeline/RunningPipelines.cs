using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Cog.Runtime.Pipeline;

/// <summary>
/// The pipelines running in this server, for <c>pipeline-list</c>, <c>pipeline-info</c> and <c>pipeline-kill</c>: the
/// runner lists each pipeline while it runs and gets from here the token that a kill cancels.
/// </summary>
/// <remarks>Thread-safe. Killing cancels the pipeline's token: the engine stops waiting, and the running command is
/// cancelled (its executor sends the relay a cancel, or cancels a built-in command). Only pipelines running in this
/// server process are listed and can be killed here; <see cref="Cluster.ClusterPipelines"/> reaches the other servers'.</remarks>
public sealed class RunningPipelines(TimeProvider time)
{
    readonly ConcurrentDictionary<string, Entry> _running = new(StringComparer.Ordinal);

    /// <summary>Lists a pipeline until the returned lease is disposed; the lease's token is cancelled by
    /// <see cref="Kill"/> or by <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="ArgumentException">A pipeline with this id is already listed.</exception>
    public PipelineLease Start(string pipelineId, PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipelineId);
        ArgumentNullException.ThrowIfNull(request);
        var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var entry = new Entry(new RunningPipeline(pipelineId, request.Caller, request.Room, request.Text, time.GetUtcNow()), kill);
        if (!_running.TryAdd(pipelineId, entry))
        {
            kill.Dispose();
            throw new ArgumentException($"A pipeline with id {pipelineId} is already running.", nameof(pipelineId));
        }
        return new PipelineLease(this, pipelineId, kill);
    }

    /// <summary>The running pipelines, oldest first.</summary>
    public ImmutableArray<RunningPipeline> List() =>
        [.. _running.Values.Select(static e => e.Pipeline).OrderBy(static p => p.StartedAt).ThenBy(static p => p.Id, StringComparer.Ordinal)];

    /// <summary>One running pipeline, or <see langword="null"/> when no pipeline with that id is running.</summary>
    public RunningPipeline? Find(string pipelineId) => _running.TryGetValue(pipelineId, out var entry) ? entry.Pipeline : null;

    /// <summary>Stops a running pipeline.</summary>
    /// <returns>Whether a pipeline with that id was running.</returns>
    public bool Kill(string pipelineId)
    {
        if (!_running.TryGetValue(pipelineId, out var entry))
            return false;
        try
        {
            entry.Kill.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
            return false;
        }
        return true;
    }

    /// <summary>Raised after a pipeline ended (its lease was disposed), with its id, on the thread that ended it;
    /// handlers must not block or throw.</summary>
    public event Action<string>? Ended;

    internal void End(string pipelineId)
    {
        if (_running.TryRemove(pipelineId, out _))
            Ended?.Invoke(pipelineId);
    }

    sealed record Entry(RunningPipeline Pipeline, CancellationTokenSource Kill);
}

/// <summary>A pipeline that is running.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Caller">Who started it.</param>
/// <param name="Room">Where.</param>
/// <param name="Text">Its text.</param>
/// <param name="StartedAt">When.</param>
public sealed record RunningPipeline(string Id, PipelineCaller Caller, PipelineRoom Room, string Text, DateTimeOffset StartedAt);
