using System.Diagnostics;
using Cog.Contracts.Relays;
using Cog.Relay.Bundles;
using Cog.Relay.Hosting;
using Cog.Sdk;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Execution;

/// <summary>
/// The relay's dispatch (protocol §8.2): runs the invocations the session receives, at most
/// <see cref="Capacity"/> at once, each acknowledged before it starts and answered with exactly one result.
/// </summary>
/// <remarks>
/// <para>An invocation received after its <c>ack_by</c> (by this relay's clock) is dropped without an ack; at full
/// capacity it waits in a queue, and the rule is applied again when a slot frees. A request id seen before (QoS 1
/// redelivery) is ignored; the last <see cref="RecentRequestIds.Capacity"/> ids are remembered. When the ack cannot be
/// published the command does not start (the server gives the request to another relay).</para>
/// <para>Every acknowledged request gets one result: the command's outcome, the relay's timeout or cancellation
/// message, <see cref="RelayMessages.UnknownBundle"/> or <see cref="RelayMessages.CommandNotFound"/>, or, when the
/// relay itself fails, <see cref="RelayMessages.RelayFailed"/>.</para>
/// <para>Each invocation is traced (<see cref="RelayTracing"/>): a <c>cog.relay.invocation</c> span, child of the
/// server's span that sent it, around the ack, the command and the result, and a <c>cog.command</c> span around the
/// command, whose W3C context the command receives (<see cref="CommandContext.TraceParent"/>, <c>TRACEPARENT</c> for
/// executables).</para>
/// <para>Thread-safe; <see cref="Submit"/> and <see cref="Cancel"/> never block (they are called from the MQTT
/// receive loop).</para>
/// </remarks>
sealed partial class InvocationRunner
{
    readonly string _relayId;
    readonly IBundleLeases _bundles;
    readonly IInvocationPublisher _publisher;
    readonly PipelineStores _stores;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly ILogger _commandLogger;
    readonly ExecutionLimits _limits;
    readonly Lock _lock = new();
    readonly Queue<Received> _queue = new();
    readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    readonly RecentRequestIds _recent;
    readonly CancellationTokenSource _stopping = new();
    TaskCompletionSource? _idle;
    int _active;
    bool _accepting = true;

    /// <summary>Creates the runner.</summary>
    /// <param name="relayId">This relay's id, for acks and results.</param>
    /// <param name="capacity">How many invocations run at once.</param>
    /// <param name="rememberedRequests">How many request ids are remembered to ignore duplicates.</param>
    public InvocationRunner(string relayId, IBundleLeases bundles, IInvocationPublisher publisher, PipelineStores stores,
        ILoggerFactory loggers, TimeProvider time, int capacity, int rememberedRequests, ExecutionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _relayId = relayId ?? throw new ArgumentNullException(nameof(relayId));
        _bundles = bundles ?? throw new ArgumentNullException(nameof(bundles));
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _stores = stores ?? throw new ArgumentNullException(nameof(stores));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = loggers.CreateLogger<InvocationRunner>();
        _commandLogger = loggers.CreateLogger("Cog.Relay.Commands");
        _limits = limits ?? ExecutionLimits.Default;
        _recent = new RecentRequestIds(rememberedRequests);
        Capacity = capacity;
    }

    /// <summary>Raised after <see cref="Load"/> changed, on any thread; handlers must not block.</summary>
    public event EventHandler? LoadChanged;

    /// <summary>How many invocations may run at once.</summary>
    public int Capacity { get; }

    /// <summary>How many invocations hold a slot now (acknowledging or running).</summary>
    public int Load
    {
        get
        {
            lock (_lock)
            {
                return _active;
            }
        }
    }

    /// <summary>How many invocations wait for a slot.</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Takes one invocation: starts it, queues it, or drops it (late, duplicate, or the runner is
    /// stopping). Never blocks.</summary>
    /// <param name="request">The invocation.</param>
    /// <param name="trace">The trace context it was sent in (<see cref="TraceContext"/>), or <c>default</c>.</param>
    public void Submit(InvocationRequest request, ActivityContext trace = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var received = new Received(request, trace);
        var now = _time.GetUtcNow();
        bool start;
        lock (_lock)
        {
            if (!_accepting)
            {
                LogDroppedStopping(_logger, request.RequestId, request.Bundle, request.Command);
                return;
            }
            if (!_recent.Add(request.RequestId))
            {
                LogDuplicate(_logger, request.RequestId);
                return;
            }
            if (now > request.AckBy)
            {
                LogDroppedLate(_logger, request.RequestId, request.Bundle, request.Command, request.AckBy, now);
                return;
            }
            start = _active < Capacity;
            if (start)
            {
                _active++;
            }
            else
            {
                _queue.Enqueue(received);
                LogQueued(_logger, request.RequestId, _queue.Count);
            }
        }
        if (start)
        {
            OnLoadChanged();
            Start(received);
        }
    }

    /// <summary>Stops a running invocation (protocol §6.7); a request that is not running here is ignored.</summary>
    public void Cancel(InvocationCancel cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        Running? running;
        lock (_lock)
        {
            _running.TryGetValue(cancel.RequestId, out running);
        }
        if (running is null)
        {
            LogCancelIgnored(_logger, cancel.RequestId);
            return;
        }
        LogCancelling(_logger, cancel.RequestId, cancel.Reason ?? "");
        running.Cancel(cancel.Reason);
    }

    /// <summary>Stops taking invocations, drops the queued ones (never acknowledged), lets the running ones finish
    /// for up to <paramref name="grace"/>, then cancels them; returns when every result has been handed to the
    /// publisher.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_lock)
        {
            _accepting = false;
            while (_queue.TryDequeue(out var dropped))
            {
                LogDroppedStopping(_logger, dropped.Request.RequestId, dropped.Request.Bundle, dropped.Request.Command);
            }
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_active == 0)
            {
                _idle.TrySetResult();
            }
            idle = _idle.Task;
        }
        try
        {
            await idle.WaitAsync(grace, _time, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
            // The grace period is over: cancel what still runs, and wait for its results.
        }
        catch (OperationCanceledException)
        {
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await idle.ConfigureAwait(false);
    }

    void Start(Received received) =>
        // The receive loop must not wait for the ack, let alone the command.
        _ = Task.Run(() => RunAsync(received), CancellationToken.None);

    async Task RunAsync(Received received)
    {
        Received? next = received;
        while (next is not null)
        {
            await RunOneAsync(next).ConfigureAwait(false);
            next = NextOrRelease();
        }
    }

    Received? NextOrRelease()
    {
        var changed = false;
        Received? next = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_queue.TryDequeue(out var queued))
            {
                if (now > queued.Request.AckBy)
                {
                    LogDroppedLate(_logger, queued.Request.RequestId, queued.Request.Bundle, queued.Request.Command, queued.Request.AckBy, now);
                    continue;
                }
                next = queued;
                break;
            }
            if (next is null)
            {
                _active--;
                changed = true;
                if (_active == 0 && _idle is not null)
                {
                    _idle.TrySetResult();
                }
            }
        }
        if (changed)
        {
            OnLoadChanged();
        }
        return next;
    }

    async Task RunOneAsync(Received received)
    {
        var request = received.Request;
        // A root of its own when the server sent no trace context: never a child of whatever ran before on this flow.
        Activity.Current = null;
        using var span = RelayTracing.Source.StartActivity("cog.relay.invocation", ActivityKind.Consumer, received.Trace)?
            .SetTag("cog.relay.id", _relayId)
            .SetTag("cog.pipeline.id", request.PipelineId)
            .SetTag("cog.invocation.id", request.InvocationId)
            .SetTag("cog.bundle", request.Bundle)
            .SetTag("cog.command", request.Bundle + ":" + request.Command);
        using var running = new Running(_stopping.Token);
        lock (_lock)
        {
            _running[request.RequestId] = running;
        }
        try
        {
            var startedAt = _time.GetUtcNow();
            bool acked;
            try
            {
                acked = await _publisher.PublishAckAsync(new InvocationAck(request.RequestId, _relayId, startedAt), request.AckBy, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogRelayBug(_logger, e, request.RequestId);
                acked = false;
            }
            if (!acked)
            {
                LogNotAcked(_logger, request.RequestId, request.Bundle, request.Command);
                return;
            }
            LogStarted(_logger, request.RequestId, request.Bundle, request.Version, request.Command, request.PipelineId);

            var started = _time.GetTimestamp();
            ExecutionOutcome outcome;
            try
            {
                outcome = await ExecuteAsync(request, received.Trace, running).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Engines turn every failure of a command into an outcome; an exception is a relay bug.
                LogRelayBug(_logger, e, request.RequestId);
                outcome = ExecutionOutcome.Error(RelayMessages.RelayFailed(e.GetType().Name));
            }
            var duration = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            span?.SetTag("cog.invocation.status", StatusOf(outcome.Status).ToString().ToLowerInvariant());
            if (outcome.Status == CommandStatus.Error)
            {
                span?.SetStatus(ActivityStatusCode.Error, outcome.Message);
            }
            var result = new InvocationResult(request.RequestId, _relayId, StatusOf(outcome.Status),
                outcome.Status == CommandStatus.Ok ? outcome.Items : [], Math.Max(0, duration), outcome.Template, outcome.Message);
            LogFinished(_logger, request.RequestId, request.Bundle, request.Command, result.Status.ToString(), result.DurationMs);
            try
            {
                await _publisher.PublishResultAsync(result, request.Deadline, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogRelayBug(_logger, e, request.RequestId);
            }
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(request.RequestId);
            }
        }
    }

    async Task<ExecutionOutcome> ExecuteAsync(InvocationRequest request, ActivityContext trace, Running running)
    {
        using var lease = _bundles.TryAcquire(request.Bundle, request.Version);
        if (lease is null)
        {
            return ExecutionOutcome.Error(RelayMessages.UnknownBundle(request.Bundle));
        }
        var command = lease.Bundle.Manifest.FindCommand(request.Command);
        if (command is null)
        {
            return ExecutionOutcome.Error(RelayMessages.CommandNotFound);
        }
        var engine = _bundles.EngineFor(lease.Bundle, command.Kind);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(request.TimeoutMs), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, running.Token);
        using var store = _stores.Acquire(request.PipelineId);
        using var span = RelayTracing.Source.StartActivity("cog.command")?
            .SetTag("cog.command", request.Bundle + ":" + request.Command)
            .SetTag("cog.command.kind", command.Kind.ToString().ToLowerInvariant());
        // The command continues this relay's span, or, when the relay records none, the server's.
        var context = CreateContext(request, store.Store, span?.Context ?? trace);
        var services = request.Services is { } s ? new ServiceEndpoint(s.Root, s.Token) : null;
        var invocation = new CommandInvocation(context, command, lease.Bundle.Directory, services, lease.Bundle.Manifest.Docker);
        var outcome = await engine.RunAsync(invocation, _limits, linked.Token).ConfigureAwait(false);
        if (outcome.Status == CommandStatus.Ok || !linked.IsCancellationRequested)
        {
            return outcome;
        }
        // The engine reports a generic cancellation; the relay knows which limit it was.
        if (running.CancelRequested)
        {
            return ExecutionOutcome.Error(RelayMessages.Cancelled(running.Reason));
        }
        if (timeout.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(RelayMessages.TimedOut(request.TimeoutMs));
        }
        return ExecutionOutcome.Error(RelayMessages.RelayStopping);
    }

    CommandContext CreateContext(InvocationRequest request, IPipelineStore store, ActivityContext trace) => new()
    {
        TraceParent = TraceContext.Format(trace),
        TraceState = trace.TraceState,
        Bundle = request.Bundle,
        Command = request.Command,
        PipelineId = request.PipelineId,
        InvocationId = request.InvocationId,
        Step = request.Step switch
        {
            ItemStep.First => InvocationStep.First,
            ItemStep.Middle => InvocationStep.Middle,
            _ => InvocationStep.Last,
        },
        Arguments = new CommandArguments(request.Args),
        Options = new CommandOptions(request.Options),
        Input = request.Input,
        User = new CommandUser(request.Caller.Username, request.Caller.ChatHandle, request.Caller.Email),
        Room = new CommandRoom(request.Room.Name, request.Room.IsDirect),
        Configuration = request.Configuration,
        Store = store,
        Log = new LoggerCommandLog(_commandLogger, request.Bundle, request.Command, request.PipelineId, request.RequestId),
    };

    /// <summary>An invocation as received, with the trace context it came in.</summary>
    sealed record Received(InvocationRequest Request, ActivityContext Trace);

    static ResultStatus StatusOf(CommandStatus status) => status switch
    {
        CommandStatus.Ok => ResultStatus.Ok,
        CommandStatus.Abort => ResultStatus.Abort,
        _ => ResultStatus.Error,
    };

    void OnLoadChanged() => LoadChanged?.Invoke(this, EventArgs.Empty);

    /// <summary>One running invocation: its cancel message's token, linked to the relay's stop.</summary>
    sealed class Running(CancellationToken stopping) : IDisposable
    {
        readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        volatile string? _reason;
        volatile bool _cancelRequested;

        public CancellationToken Token => _cancel.Token;

        public bool CancelRequested => _cancelRequested;

        public string? Reason => _reason;

        public void Cancel(string? reason)
        {
            _reason = reason;
            _cancelRequested = true;
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It has just finished.
            }
        }

        public void Dispose() => _cancel.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "Dropped invocation {RequestId} ({Bundle}:{Command}) without an ack: its ack_by {AckBy:O} passed before it could start (relay clock {Now:O}).")]
    static partial void LogDroppedLate(ILogger logger, string requestId, string bundle, string command, DateTimeOffset ackBy, DateTimeOffset now);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Ignored invocation {RequestId}: a duplicate delivery of a request already received.")]
    static partial void LogDuplicate(ILogger logger, string requestId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Invocation {RequestId} waits for a free slot ({Queued} queued).")]
    static partial void LogQueued(ILogger logger, string requestId, int queued);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Dropped invocation {RequestId} ({Bundle}:{Command}) without an ack: the relay is stopping.")]
    static partial void LogDroppedStopping(ILogger logger, string requestId, string bundle, string command);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Invocation {RequestId} ({Bundle}:{Command}) was not started: its ack could not be published.")]
    static partial void LogNotAcked(ILogger logger, string requestId, string bundle, string command);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Started {RequestId}: {Bundle} {Version} {Command} (pipeline {PipelineId}).")]
    static partial void LogStarted(ILogger logger, string requestId, string bundle, string version, string command, string pipelineId);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Finished {RequestId}: {Bundle}:{Command} {Status} in {DurationMs} ms.")]
    static partial void LogFinished(ILogger logger, string requestId, string bundle, string command, string status, long durationMs);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Relay bug while handling invocation {RequestId}.")]
    static partial void LogRelayBug(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Ignored cancel for {RequestId}: not running here.")]
    static partial void LogCancelIgnored(ILogger logger, string requestId);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Cancelling {RequestId}: {Reason}")]
    static partial void LogCancelling(ILogger logger, string requestId, string reason);
}
