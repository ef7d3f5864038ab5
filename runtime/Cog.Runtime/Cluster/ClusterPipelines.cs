using System.Collections.Concurrent;
using System.Text.Json;
using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Cluster;

/// <summary>
/// <see cref="IPipelineMonitor"/> for servers sharing a store: a pipeline is killed in the server that runs it. One that
/// runs here is killed at once; one that runs in another server (its history row's <see cref="PipelineHistoryEntry.Instance"/>)
/// is asked for on the server bus's <see cref="KillChannel"/>, and that server kills it and answers on
/// <see cref="AnswerChannel"/>.
/// </summary>
/// <remarks>
/// <para>A kill is audited once, by the server that runs the pipeline: its engine ends the pipeline with the "killed"
/// failure, recorded in the audit log like any pipeline's end. The asking server records nothing of its own.</para>
/// <para>An owner that does not answer within <see cref="AnswerTimeout"/> is reported as
/// <see cref="PipelineKill.OwnerSilent"/>: it has stopped (its pipelines are marked interrupted when that is noticed)
/// or cannot be reached. Thread-safe; dispose to stop answering other servers.</para>
/// </remarks>
public sealed class ClusterPipelines : IPipelineMonitor, IDisposable
{
    /// <summary>The bus channel of kill requests: <c>{"pipeline", "owner", "request"}</c>.</summary>
    public const string KillChannel = "pipeline.kill";

    /// <summary>The bus channel of the owners' answers: <c>{"request", "killed"}</c>.</summary>
    public const string AnswerChannel = "pipeline.killed";

    /// <summary>How long a kill waits for the owning server's answer by default.</summary>
    public static readonly TimeSpan DefaultAnswerTimeout = TimeSpan.FromSeconds(5);

    readonly RunningPipelines _local;
    readonly IServerBus _bus;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _waiting = new(StringComparer.Ordinal);
    readonly IDisposable _requests;
    readonly IDisposable _answers;

    /// <summary>Kills the pipelines of <paramref name="local"/> (this server's) and, through <paramref name="bus"/>,
    /// those of the other servers; answers the other servers' requests for this server's pipelines.</summary>
    public ClusterPipelines(RunningPipelines local, IServerBus bus, TimeProvider time, ILogger<ClusterPipelines> logger, TimeSpan? answerTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        (_local, _bus, _time, _logger) = (local, bus, time, logger);
        AnswerTimeout = answerTimeout ?? DefaultAnswerTimeout;
        _requests = bus.Subscribe(KillChannel, OnRequest);
        _answers = bus.Subscribe(AnswerChannel, OnAnswer);
    }

    /// <summary>How long a kill waits for the owning server's answer.</summary>
    public TimeSpan AnswerTimeout { get; }

    /// <inheritdoc/>
    public async Task<PipelineKill> KillAsync(PipelineHistoryEntry pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (pipeline.State is not (PipelineState.Running or PipelineState.Waiting))
            return PipelineKill.NotRunning;
        // A row without an instance was written before servers named themselves: only a lone server wrote those.
        if (pipeline.Instance is null || string.Equals(pipeline.Instance, _bus.Instance, StringComparison.Ordinal))
            return _local.Kill(pipeline.Id) ? PipelineKill.Killed : PipelineKill.NotRunning;

        var request = Guid.NewGuid().ToString("N");
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[request] = answer;
        try
        {
            await _bus.PublishAsync(KillChannel, JsonSerializer.Serialize(new KillRequest(pipeline.Id, pipeline.Instance, request)), cancellationToken)
                .ConfigureAwait(false);
            return await answer.Task.WaitAsync(AnswerTimeout, _time, cancellationToken).ConfigureAwait(false) ? PipelineKill.Killed : PipelineKill.NotRunning;
        }
        catch (TimeoutException)
        {
            return PipelineKill.OwnerSilent;
        }
        finally
        {
            _waiting.TryRemove(request, out _);
        }
    }

    /// <summary>Stops answering other servers.</summary>
    public void Dispose()
    {
        _requests.Dispose();
        _answers.Dispose();
    }

    void OnRequest(ServerNotice notice)
    {
        if (notice.Missed || Parse<KillRequest>(notice) is not { } request || !string.Equals(request.Owner, _bus.Instance, StringComparison.Ordinal))
            return;
        // Off the listener's loop: cancelling runs the pipeline's cancellation callbacks, and handlers must stay short.
        _ = Task.Run(() => KillAndAnswerAsync(request, notice.From), CancellationToken.None);
    }

    async Task KillAndAnswerAsync(KillRequest request, string from)
    {
        var killed = _local.Kill(request.Pipeline);
        ClusterPipelinesLog.KillRequested(_logger, request.Pipeline, from, killed);
        try
        {
            await _bus.PublishAsync(AnswerChannel, JsonSerializer.Serialize(new KillAnswer(request.Request, killed)), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The asking server then reports that this one did not answer; logged here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ClusterPipelinesLog.AnswerNotSent(_logger, e, request.Request);
        }
    }

    void OnAnswer(ServerNotice notice)
    {
        if (!notice.Missed && Parse<KillAnswer>(notice) is { } answer && _waiting.TryRemove(answer.Request, out var waiting))
            waiting.TrySetResult(answer.Killed);
    }

    T? Parse<T>(ServerNotice notice) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(notice.Payload);
        }
        catch (JsonException e)
        {
            ClusterPipelinesLog.BadNotice(_logger, e, notice.Channel, notice.From);
            return null;
        }
    }

    sealed record KillRequest(string Pipeline, string Owner, string Request);

    sealed record KillAnswer(string Request, bool Killed);
}

/// <summary>The log messages of <see cref="ClusterPipelines"/>.</summary>
static partial class ClusterPipelinesLog
{
    [LoggerMessage(611, LogLevel.Information, "Server {From} asked to kill pipeline {PipelineId}, which runs here; killed: {Killed}.")]
    public static partial void KillRequested(ILogger logger, string pipelineId, string from, bool killed);

    [LoggerMessage(612, LogLevel.Warning, "Could not answer the kill request {Request} of another server.")]
    public static partial void AnswerNotSent(ILogger logger, Exception exception, string request);

    [LoggerMessage(613, LogLevel.Warning, "A notice on {Channel} from server {From} is not what this version sends; ignored.")]
    public static partial void BadNotice(ILogger logger, Exception exception, string channel, string from);
}
