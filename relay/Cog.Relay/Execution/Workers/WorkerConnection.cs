using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Isolation;
using Cog.Sdk;
using Cog.Worker;
using Cog.Worker.Protocol;
using Cog.Worker.Results;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Execution.Workers;

/// <summary>
/// One worker process and the relay's end of its channel: sends invocations (and the script images they need, once),
/// answers the worker's store requests and log lines from the invocation's own context, and turns the worker's death
/// into a clear error for every invocation it was running.
/// </summary>
/// <remarks>
/// <para>The worker's stderr (a command's <c>Console.WriteLine</c>, the runtime's crash report) goes to the relay's log
/// line by line, tagged with the bundle and the worker's process id; a line longer than
/// <see cref="MaxErrorLineChars"/> is cut, so the relay holds at most one such line per worker.</para>
/// <para>A malformed frame from the worker, a cancelled invocation that does not answer within the kill grace, or a
/// stop kills the process (and its children). Once the process has exited every open invocation is answered with
/// <see cref="WorkerErrors.Crashed"/> and a reason read from the exit status and the crash report on stderr.</para>
/// <para>Thread-safe.</para>
/// </remarks>
sealed partial class WorkerConnection
{
    /// <summary>The longest stderr line kept for the log.</summary>
    public const int MaxErrorLineChars = 4096;

    /// <summary>How long a worker whose channel ended has to exit before it is killed.</summary>
    static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    readonly IWorkerProcess _process;
    readonly Stream _toWorker;
    readonly Stream _fromWorker;
    readonly string _bundle;
    readonly ILogger _logger;
    readonly TimeProvider _time;
    // Everything for the worker goes through one outbox and one writer (PumpAsync): messages queued while a write is
    // under way leave together, as one write of the pipe.
    readonly Channel<ChannelMessage> _outbox = Channel.CreateUnbounded<ChannelMessage>(new UnboundedChannelOptions { SingleReader = true });
    readonly Lock _sendGate = new();
    readonly Task _pump;
    readonly Lock _gate = new();
    readonly Dictionary<long, Pending> _pending = [];
    readonly HashSet<string> _sentScripts = new(StringComparer.Ordinal);
    readonly TaskCompletionSource<ReadyMessage> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Task _errors;
    string? _killReason;
    string? _crashLine;
    string? _exitReason;
    long _nextId;
    volatile bool _recycle;
    bool _ending;

    WorkerConnection(IWorkerProcess process, string bundle, ILogger logger, TimeProvider time)
    {
        _process = process;
        _toWorker = process.Input;
        // Buffered: a frame's header and body, and the results the worker sent together, are one read of the pipe.
        _fromWorker = new BufferedStream(process.Output, WorkerHost.BufferBytes);
        _bundle = bundle;
        _logger = logger;
        _time = time;
        ProcessId = process.Id;
        _errors = Task.Run(() => DrainErrorsAsync(process.Errors), CancellationToken.None);
        _pump = Task.Run(PumpAsync, CancellationToken.None);
        _ = Task.Run(ReadAsync, CancellationToken.None);
    }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Completes once the process has exited and every open invocation was answered.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Why the worker ended (once <see cref="Exited"/> completed), for tests and the log.</summary>
    public string? ExitReason => Volatile.Read(ref _exitReason);

    /// <summary>True once an invocation ran out of memory: the worker takes no more invocations and is closed when its
    /// running ones end.</summary>
    public bool RecycleRequested => _recycle;

    /// <summary>True once the worker is being killed or its channel has ended: it takes no new invocation.</summary>
    public bool IsEnding => Volatile.Read(ref _ending);

    /// <summary>How many invocations the worker is running now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Starts a worker with <paramref name="start"/> and waits for its answer to the hello.</summary>
    /// <exception cref="WorkerStartException">The process could not be started or did not answer within
    /// <paramref name="startTimeout"/>.</exception>
    public static async Task<WorkerConnection> StartAsync(Func<SandboxRequest, IWorkerProcess> start, SandboxRequest request, HelloMessage hello,
        TimeSpan startTimeout, ILogger logger, TimeProvider time)
    {
        var connection = new WorkerConnection(start(request), request.BundleName, logger, time);
        try
        {
            connection.Send(hello);
            await connection._ready.Task.WaitAsync(startTimeout, time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException or WorkerStartException)
        {
            connection.Kill(e is TimeoutException ? WorkerErrors.NoAnswer(startTimeout) : e.Message);
            await connection.Exited.ConfigureAwait(false);
            throw new WorkerStartException(connection.ExitReason ?? e.Message);
        }
        LogStarted(logger, request.BundleName, connection.ProcessId);
        return connection;
    }

    /// <summary>Runs one invocation in this worker to its end.</summary>
    /// <remarks>When <paramref name="cancellationToken"/> fires the worker is asked to cancel the invocation; if it has not
    /// answered after <paramref name="killGrace"/>, the worker is killed and the invocation answered with
    /// <see cref="ExecutionErrors.Cancelled"/> (the runner says which limit it was).</remarks>
    public async Task<ExecutionOutcome> InvokeAsync(CommandInvocation invocation, ScriptImage? script, ExecutionLimits limits, TimeSpan killGrace,
        CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var pending = new Pending(invocation.Context);
        lock (_gate)
        {
            if (_exitReason is { } reason)
            {
                return ExecutionOutcome.Error(WorkerErrors.Crashed(reason));
            }
            _pending[id] = pending;
        }
        var kind = invocation.Command.Kind == Cog.Manifest.CommandKind.Script ? InvokeMessage.ScriptKind : InvokeMessage.TypeKind;
        var message = new InvokeMessage(id, kind, invocation.Command.Target, script?.Key, DataOf(invocation.Context), limits.MaxOutputBytes);
        lock (_sendGate)
        {
            // Queued together: a script image always precedes the first invocation that runs it.
            if (script is not null && _sentScripts.Add(script.Key))
            {
                Send(new LoadScriptMessage(script.Key, script.Image));
            }
            Send(message);
        }
        using var registration = cancellationToken.Register(() => _ = CancelAsync(id, pending, killGrace));
        return await pending.Outcome.Task.ConfigureAwait(false);
    }

    /// <summary>Ends the worker cleanly: closes its input, so it exits once it has read everything; killed if it has not
    /// exited within 5 s.</summary>
    public async Task CloseAsync()
    {
        // The writer sends what is queued, then closes the worker's input.
        _outbox.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        try
        {
            await Exited.WaitAsync(ExitWait, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill(WorkerErrors.Stopped);
            await Exited.ConfigureAwait(false);
        }
    }

    /// <summary>Kills the worker and its children; <paramref name="reason"/> becomes the crash reason of the invocations
    /// it was running (the first reason given wins).</summary>
    public void Kill(string reason)
    {
        lock (_gate)
        {
            _killReason ??= reason;
        }
        Volatile.Write(ref _ending, true);
        _process.Kill();
    }

    /// <summary>Queues <paramref name="message"/> for the worker. Once the worker no longer reads (it is ending), the
    /// message is dropped: the worker's exit answers every invocation it had.</summary>
    void Send(ChannelMessage message) => _outbox.Writer.TryWrite(message);

    /// <summary>Writes the outbox to the worker until <see cref="CloseAsync"/> completes it, then closes the worker's
    /// input. A worker that stops reading is ending (its exit answers its invocations); one that lives on without
    /// reading is killed.</summary>
    async Task PumpAsync()
    {
        try
        {
            await WorkerHost.WriteAllAsync(_outbox.Reader, _toWorker, CancellationToken.None).ConfigureAwait(false);
            await _toWorker.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or ChannelException)
        {
            _outbox.Writer.TryComplete();
            Volatile.Write(ref _ending, true);
            if (e is ChannelException)
            {
                Kill(WorkerErrors.BrokeChannel(e.Message));
                return;
            }
            try
            {
                await _process.WaitForExitAsync().WaitAsync(ExitWait, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Kill(WorkerErrors.BrokeChannel("its input was closed"));
            }
        }
    }

    async Task CancelAsync(long id, Pending pending, TimeSpan killGrace)
    {
        Send(new CancelMessage(id));
        try
        {
            await pending.Outcome.Task.WaitAsync(killGrace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The command ignores its token (a busy loop): only killing its worker stops it.
            if (Take(id) is not null)
            {
                // Killed before the answer goes out: whoever acts on the answer (the next invocation) finds this worker
                // ending and is not sent to it.
                LogRanAway(_logger, _bundle, ProcessId, pending.Context.Command, killGrace.TotalMilliseconds);
                Kill(WorkerErrors.RanAway(pending.Context.Command));
                pending.Outcome.TrySetResult(ExecutionOutcome.Error(ExecutionErrors.Cancelled));
            }
        }
    }

    Pending? Take(long id)
    {
        lock (_gate)
        {
            return _pending.Remove(id, out var pending) ? pending : null;
        }
    }

    async Task ReadAsync()
    {
        try
        {
            while (await Frames.ReadAsync(_fromWorker, CancellationToken.None).ConfigureAwait(false) is { } message)
            {
                Handle(message);
            }
        }
        catch (ChannelException e)
        {
            Kill(WorkerErrors.BrokeChannel(e.Message));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the process is ending.
        }
        await EndAsync().ConfigureAwait(false);
    }

    void Handle(ChannelMessage message)
    {
        switch (message)
        {
            case ReadyMessage ready when ready.Protocol == Frames.ProtocolVersion:
                _ready.TrySetResult(ready);
                break;
            case ResultMessage result:
                if (result.Recycle)
                {
                    _recycle = true;
                }
                Take(result.Id)?.Outcome.TrySetResult(ToOutcome(result));
                break;
            case LogMessage log:
                Find(log.Id)?.Write(log);
                break;
            case StoreRequestMessage request:
                _ = AnswerAsync(request);
                break;
            default:
                throw new ChannelException($"a {message.GetType().Name} sent to the relay");
        }
    }

    Pending? Find(long id)
    {
        lock (_gate)
        {
            return _pending.GetValueOrDefault(id);
        }
    }

    async Task AnswerAsync(StoreRequestMessage request)
    {
        JsonElement? value = null;
        string? error = null;
        if (Find(request.Id) is not { } pending)
        {
            error = "The invocation is not running.";
        }
        else
        {
            var store = pending.Context.Store;
            try
            {
                value = request.Operation switch
                {
                    StoreRequestMessage.Get => await store.GetAsync(request.Key).ConfigureAwait(false),
                    StoreRequestMessage.Set when request.Value is { } set => await SetAsync(store, request.Key, set).ConfigureAwait(false),
                    StoreRequestMessage.Append when request.Value is { } item => await store.AppendAsync(request.Key, item).ConfigureAwait(false),
                    StoreRequestMessage.Remove => await store.RemoveAsync(request.Key).ConfigureAwait(false),
                    _ => throw new ArgumentException($"Unknown store operation '{request.Operation}' or a missing value."),
                };
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException)
            {
                error = e.Message;
            }
        }
        Send(new StoreReplyMessage(request.RequestId, value, error));
    }

    static async Task<JsonElement?> SetAsync(IPipelineStore store, string key, JsonElement value)
    {
        await store.SetAsync(key, value).ConfigureAwait(false);
        return null;
    }

    async Task EndAsync()
    {
        Volatile.Write(ref _ending, true);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitWait, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // It closed its output but lives on: it can no longer answer.
            Kill(WorkerErrors.BrokeChannel("its output was closed"));
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        // The crash report is on stderr: read it to its end (a child that keeps stderr open is not waited for).
        await _errors.WaitAsync(TimeSpan.FromSeconds(1), _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Pending[] open;
        string reason;
        lock (_gate)
        {
            reason = _killReason ?? Describe(_process.ExitCode, _crashLine);
            Volatile.Write(ref _exitReason, reason);
            open = [.. _pending.Values];
            _pending.Clear();
        }
        var message = WorkerErrors.Crashed(reason);
        foreach (var pending in open)
        {
            pending.Outcome.TrySetResult(ExecutionOutcome.Error(message));
        }
        _ready.TrySetException(new WorkerStartException(reason));
        if (open.Length > 0 || _killReason is not null || _process.ExitCode != 0)
        {
            LogEnded(_logger, _bundle, ProcessId, reason, open.Length);
        }
        _process.Dispose();
        _exited.TrySetResult();
    }

    /// <summary>Why a worker ended, from its crash report line (the runtime's first line about it) and its exit code.</summary>
    internal static string Describe(int exitCode, string? crashLine)
    {
        const string Unhandled = "Unhandled exception. ";
        const string Terminated = "Process terminated. ";
        if (crashLine is not null)
        {
            if (crashLine.StartsWith("Stack overflow", StringComparison.Ordinal))
            {
                return WorkerErrors.StackOverflow;
            }
            if (crashLine.StartsWith(Unhandled, StringComparison.Ordinal))
            {
                return WorkerErrors.ExceptionEscaped(ShortExceptionName(crashLine[Unhandled.Length..]));
            }
            if (crashLine.StartsWith(Terminated, StringComparison.Ordinal))
            {
                return WorkerErrors.Terminated(crashLine[Terminated.Length..]);
            }
        }
        return exitCode > 128 ? WorkerErrors.Signalled(exitCode - 128) : WorkerErrors.Exited(exitCode);
    }

    /// <summary><c>System.InvalidOperationException: boom</c> → <c>InvalidOperationException: boom</c>.</summary>
    static string ShortExceptionName(string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var type = colon < 0 ? text : text[..colon];
        var dot = type.LastIndexOf('.');
        return dot < 0 ? text : text[(dot + 1)..];
    }

    async Task DrainErrorsAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        var truncated = false;
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    Emit(line.ToString(), truncated);
                    line.Clear();
                    truncated = false;
                }
                else if (line.Length < MaxErrorLineChars)
                {
                    line.Append(buffer[i]);
                }
                else
                {
                    truncated = true;
                }
            }
        }
        if (line.Length > 0)
        {
            Emit(line.ToString(), truncated);
        }
    }

    void Emit(string line, bool truncated)
    {
        line = line.TrimEnd('\r');
        if (_crashLine is null && (line.StartsWith("Stack overflow", StringComparison.Ordinal)
            || line.StartsWith("Unhandled exception. ", StringComparison.Ordinal) || line.StartsWith("Process terminated. ", StringComparison.Ordinal)))
        {
            lock (_gate)
            {
                _crashLine ??= line;
            }
        }
        LogOutput(_logger, _bundle, ProcessId, truncated ? line + " [cut]" : line);
    }

    /// <summary>The outcome a worker's result stands for (its items checked again: bundle code made them).</summary>
    internal static ExecutionOutcome ToOutcome(ResultMessage result)
    {
        switch (result.Status)
        {
            case ResultMessage.Ok:
                // The worker runs bundle code: what it sends is checked again, not trusted.
                for (var i = 0; i < result.Items.Length; i++)
                {
                    if (result.Items[i].ValueKind != JsonValueKind.Object)
                    {
                        return ExecutionOutcome.Error(ExecutionErrors.ItemNotAnObject(i, ResultConverter.Describe(result.Items[i].ValueKind)));
                    }
                }
                return ExecutionOutcome.Ok(ImmutableArray.Create(result.Items), result.Template);
            case ResultMessage.Abort:
                return ExecutionOutcome.Abort(result.Message ?? "", result.Template);
            default:
                return ExecutionOutcome.Error(result.Message ?? "");
        }
    }

    static InvocationData DataOf(CommandContext context) => new(
        context.Bundle,
        context.Command,
        context.PipelineId,
        context.InvocationId,
        context.Step.ToString(),
        [.. context.Arguments],
        context.Options.ToDictionary(StringComparer.Ordinal),
        context.Input,
        context.User.Username,
        context.User.ChatHandle,
        context.User.Email,
        context.Room.Name,
        context.Room.IsDirect,
        new Dictionary<string, string>(context.Configuration, StringComparer.Ordinal),
        context.TraceParent,
        context.TraceState);

    /// <summary>One invocation the worker runs: its context (store, log) and its outcome to come.</summary>
    sealed class Pending(CommandContext context)
    {
        public CommandContext Context { get; } = context;

        public TaskCompletionSource<ExecutionOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Write(LogMessage log)
        {
            switch (log.Level)
            {
                case ChannelCommandLog.DebugLevel:
                    Context.Log.Debug(log.Text);
                    break;
                case ChannelCommandLog.WarnLevel:
                    Context.Log.Warn(log.Text);
                    break;
                case ChannelCommandLog.ErrorLevel:
                    Context.Log.Error(log.Text);
                    break;
                default:
                    Context.Log.Info(log.Text);
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Started a worker for {Bundle} (pid {ProcessId}).")]
    static partial void LogStarted(ILogger logger, string bundle, int processId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "The worker of {Bundle} (pid {ProcessId}) ended: {Reason}; {Open} running invocation(s) failed.")]
    static partial void LogEnded(ILogger logger, string bundle, int processId, string reason, int open);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "{Bundle} worker {ProcessId}: {Line}")]
    static partial void LogOutput(ILogger logger, string bundle, int processId, string line);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning,
        Message = "{Bundle}:{Command} did not stop within {GraceMs} ms of its cancellation; killing its worker (pid {ProcessId}).")]
    static partial void LogRanAway(ILogger logger, string bundle, int processId, string command, double graceMs);
}

/// <summary>A worker process could not be started, or did not answer its hello.</summary>
sealed class WorkerStartException(string message) : Exception(message);
