using Cog.Runtime.Audit;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Pipeline;

/// <summary>
/// The front door of the pipeline engine (<see cref="IPipelineRunner"/>): expands <c>!!</c> to the caller's previous
/// pipeline, records the pipeline in the caller's history (running, then finished with the
/// number of items it returned), lists it in <see cref="RunningPipelines"/> while it runs so that <c>pipeline-kill</c>
/// can stop it, and runs it with <see cref="PipelineEngine"/>.
/// </summary>
/// <remarks>
/// <para>The history is informative: when it cannot be written the failure is logged and the pipeline runs anyway (the
/// audit log, which is not optional, is the engine's) — except that a pipeline's end, when the store is unavailable, is
/// spooled with its audit records (<see cref="AuditSpool"/>) so that the row does not stay running. The history keeps the text that ran, so after <c>!!</c> it holds
/// the repeated text and <c>!!</c> again repeats the same pipeline.</para>
/// <para>Thread-safe. Never throws for bad input, refusals or failing commands: those are outcomes.</para>
/// </remarks>
public sealed class PipelineRunner : IPipelineRunner
{
    readonly PipelineEngine _engine;
    readonly RunningPipelines _running;
    readonly IHistoryStore _history;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly PipelineRunnerOptions _options;
    readonly AuditSpool? _spool;

    /// <summary>Creates the runner over the engine, the list of running pipelines and the history; with a
    /// <paramref name="spool"/>, a pipeline's end that the store cannot take is spooled.</summary>
    public PipelineRunner(PipelineEngine engine, RunningPipelines running, IHistoryStore history, TimeProvider time,
        ILogger<PipelineRunner> logger, PipelineRunnerOptions options, AuditSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        (_engine, _running, _history, _time, _logger, _options, _spool) = (engine, running, history, time, logger, options, spool);
    }

    /// <inheritdoc/>
    /// <remarks>Throws <see cref="OperationCanceledException"/> only if <paramref name="cancellationToken"/> fires before
    /// the pipeline started; afterwards cancellation, like a kill, stops the pipeline and is its outcome.</remarks>
    public async Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var id = request.PipelineId ?? Guid.NewGuid().ToString("D");
        if (IsRepeat(request.Text))
        {
            var previous = await PreviousTextAsync(request.Caller.UserId, cancellationToken).ConfigureAwait(false);
            if (previous is null)
                return new PipelineOutcome(id, PipelineStatus.PlanningFailed, [], null, PipelineMessages.NoHistory, null, null, null);
            request = request with { Text = previous };
        }
        request = request with { PipelineId = id };

        var recorded = await RecordStartAsync(request, id).ConfigureAwait(false);
        var items = 0L;
        try
        {
            using var lease = _running.Start(id, request, cancellationToken);
            var outcome = await _engine.RunAsync(request, lease.Token).ConfigureAwait(false);
            items = outcome.Items.Length;
            return outcome;
        }
        finally
        {
            if (recorded)
                await RecordEndAsync(id, items).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks><c>!!</c> is explained as the pipeline it would repeat. Throws when the audit log cannot record the
    /// explanation.</remarks>
    public async Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsRepeat(request.Text))
        {
            var previous = await PreviousTextAsync(request.Caller.UserId, cancellationToken).ConfigureAwait(false);
            if (previous is null)
                return new PipelineExplanation(request.Text, request.Caller, ExplanationDecision.Error, PipelineMessages.NoHistory, null, []);
            request = request with { Text = previous };
        }
        return await _engine.ExplainAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pipelines running in this server (for <c>pipeline-list</c> and the REST API).</summary>
    public RunningPipelines Running => _running;

    bool IsRepeat(string text) => text.AsSpan().Trim().SequenceEqual(_options.PreviousCommandToken);

    async Task<string?> PreviousTextAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            var latest = await _history.ListAsync(userId, 1, cancellationToken).ConfigureAwait(false);
            return latest.Count == 0 ? null : latest[0].Text;
        }
#pragma warning disable CA1031 // The history is informative: a broken store answers "no history", logged.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            PipelineRunnerLog.HistoryUnreadable(_logger, e, userId);
            return null;
        }
    }

    async Task<bool> RecordStartAsync(PipelineRequest request, string id)
    {
        var entry = new PipelineHistoryEntry(id, request.Caller.UserId, 0, request.Text, request.Room.Name, request.Caller.Provider, 0,
            PipelineState.Running, _time.GetUtcNow(), null) { Instance = _options.Instance };
        try
        {
            // Not cancellable: the pipeline is about to run, and its entry must not be half written.
            var added = await _history.AddAsync(entry, CancellationToken.None).ConfigureAwait(false);
            if (added.IsSuccess)
                return true;
            PipelineRunnerLog.HistoryNotRecorded(_logger, null, id, request.Caller.UserId, added.Error.Message);
        }
#pragma warning disable CA1031 // The history is informative: a broken store must not cost the user the reply (logged).
        catch (Exception e)
#pragma warning restore CA1031
        {
            PipelineRunnerLog.HistoryNotRecorded(_logger, e, id, request.Caller.UserId, e.Message);
        }
        return false;
    }

    async Task RecordEndAsync(string id, long items)
    {
        var update = new HistoryUpdate(id, PipelineState.Finished, items, _time.GetUtcNow());
        try
        {
            var updated = await _history.UpdateAsync(update.PipelineId, update.State, update.Count, update.FinishedAt, CancellationToken.None).ConfigureAwait(false);
            if (!updated.IsSuccess)
                PipelineRunnerLog.HistoryNotFinished(_logger, null, id, updated.Error.Message);
        }
        catch (StoreUnavailableException e) when (_spool is not null)
        {
            PipelineRunnerLog.HistoryNotFinished(_logger, e, id, e.Message);
            try
            {
                _spool.Append(update);
            }
#pragma warning disable CA1031 // As below: the reply is worth more than the history entry.
            catch (Exception spoolFailure)
#pragma warning restore CA1031
            {
                PipelineRunnerLog.HistoryNotFinished(_logger, spoolFailure, id, spoolFailure.Message);
            }
        }
#pragma warning disable CA1031 // As above: the reply is worth more than the history entry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            PipelineRunnerLog.HistoryNotFinished(_logger, e, id, e.Message);
        }
    }
}

/// <summary>Settings of the pipeline runner.</summary>
/// <param name="PreviousCommandToken">The text that repeats the caller's previous pipeline (Cog 1.0's
/// <c>COG_PREVIOUS_COMMAND_TOKEN</c>).</param>
public sealed record PipelineRunnerOptions(string PreviousCommandToken)
{
    /// <summary>The server instance recorded with each history row (<see cref="PipelineHistoryEntry.Instance"/>), so that
    /// the instance finds the pipelines it left running when it crashed; <see langword="null"/> records none.</summary>
    public string? Instance { get; init; }

    /// <summary>The defaults: <c>!!</c> repeats the previous pipeline.</summary>
    public static PipelineRunnerOptions Default { get; } = new("!!");
}
