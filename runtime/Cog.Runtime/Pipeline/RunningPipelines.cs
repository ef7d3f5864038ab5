using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Cog.Runtime.Pipeline;

/// <summary>
/// The pipelines running in this server, for <c>pipeline list</c>, <c>pipeline info</c> and <c>pipeline kill</c>: runs
/// each through the engine and keeps a way to stop it until it ends.
/// </summary>
/// <remarks>Thread-safe. Killing cancels the pipeline's token: the engine stops waiting, and the running command is
/// cancelled (its executor sends the relay a cancel, or cancels a built-in command).</remarks>
public sealed class RunningPipelines(PipelineEngine engine, TimeProvider time) : IPipelineMonitor
{
    readonly ConcurrentDictionary<string, Entry> _running = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="request"/>, listed here until it ends.</summary>
    public async Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.PipelineId ?? Guid.NewGuid().ToString("D");
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var entry = new Entry(new RunningPipeline(id, request.Caller, request.Room, request.Text, time.GetUtcNow()), kill);
        if (!_running.TryAdd(id, entry))
            throw new ArgumentException($"A pipeline with id {id} is already running.", nameof(request));
        try
        {
            return await engine.RunAsync(request with { PipelineId = id }, kill.Token).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }

    /// <summary>The running pipelines, oldest first.</summary>
    public ImmutableArray<RunningPipeline> List() =>
        [.. _running.Values.Select(static e => e.Pipeline).OrderBy(static p => p.StartedAt)];

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

    sealed record Entry(RunningPipeline Pipeline, CancellationTokenSource Kill);
}

/// <summary>A pipeline that is running.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Caller">Who started it.</param>
/// <param name="Room">Where.</param>
/// <param name="Text">Its text.</param>
/// <param name="StartedAt">When.</param>
public sealed record RunningPipeline(string Id, PipelineCaller Caller, PipelineRoom Room, string Text, DateTimeOffset StartedAt);
