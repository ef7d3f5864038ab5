using Cog.Relay.Execution.Scripts;
using Cog.Relay.Isolation;
using Cog.Worker;
using Cog.Worker.Protocol;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Execution.Workers;

/// <summary>
/// The warm worker processes of one bundle version: keeps <see cref="WorkerOptions.MinWarm"/> started, sends each
/// invocation to the least loaded one, starts another (up to <see cref="WorkerOptions.MaxWorkers"/>) when all run
/// <see cref="WorkerOptions.InvocationsPerWorker"/>, and replaces a worker that died.
/// </summary>
/// <remarks>
/// <para>A worker that ran out of memory takes no new invocation and is closed when its running ones end. After
/// <see cref="Stop"/> (the version was unloaded) every worker is closed once its invocations have ended.</para>
/// <para>Thread-safe.</para>
/// </remarks>
sealed partial class WorkerPool : IAsyncDisposable
{
    readonly Func<SandboxRequest, IWorkerProcess> _start;
    readonly SandboxRequest _request;
    readonly HelloMessage _hello;
    readonly WorkerOptions _options;
    readonly ILogger _logger;
    readonly TimeProvider _time;
    readonly Lock _gate = new();
    readonly List<Slot> _slots = [];
    bool _stopped;

    /// <param name="start">Starts one worker process (through the sandbox, see <see cref="SandboxedWorkerProcess"/>).</param>
    public WorkerPool(Func<SandboxRequest, IWorkerProcess> start, SandboxRequest request, HelloMessage hello, WorkerOptions options, ILogger logger,
        TimeProvider time)
    {
        _start = start;
        _request = request;
        _hello = hello;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>The bundle the workers serve.</summary>
    public string Bundle => _hello.Bundle;

    /// <summary>The workers started and alive now (tests watch replacement through it).</summary>
    internal IReadOnlyList<WorkerConnection> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _slots.Select(s => s.Worker).OfType<WorkerConnection>().Where(w => !w.IsEnding)];
            }
        }
    }

    /// <summary>Starts workers up to <see cref="WorkerOptions.MinWarm"/>.</summary>
    public void Warm()
    {
        lock (_gate)
        {
            TopUpLocked();
        }
    }

    /// <summary>Runs one invocation in a worker of this version.</summary>
    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ScriptImage? script, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        Slot slot;
        lock (_gate)
        {
            if (_stopped)
            {
                return ExecutionOutcome.Error(WorkerErrors.NotLoaded(Bundle));
            }
            slot = ChooseLocked();
            slot.Assigned++;
        }
        try
        {
            WorkerConnection worker;
            try
            {
                worker = await slot.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (WorkerStartException e)
            {
                return ExecutionOutcome.Error(WorkerErrors.StartFailed(Bundle, e.Message));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExecutionOutcome.Error(ExecutionErrors.Cancelled);
            }
            return await worker.InvokeAsync(invocation, script, limits, _options.KillGrace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release(slot);
        }
    }

    /// <summary>Takes the version out of service: no new invocation; each worker is closed once its invocations end.</summary>
    public void Stop()
    {
        List<Slot> idle = [];
        lock (_gate)
        {
            _stopped = true;
            foreach (var slot in _slots)
            {
                slot.Retiring = true;
                if (slot.Assigned == 0 && !slot.Closing)
                {
                    slot.Closing = true;
                    idle.Add(slot);
                }
            }
        }
        foreach (var slot in idle)
        {
            _ = CloseAsync(slot);
        }
    }

    /// <summary>Kills every worker now (the relay stops); their open invocations get a crash error.</summary>
    public async ValueTask DisposeAsync()
    {
        Slot[] all;
        lock (_gate)
        {
            _stopped = true;
            all = [.. _slots];
        }
        foreach (var slot in all)
        {
            try
            {
                var worker = await slot.Started.ConfigureAwait(false);
                worker.Kill(WorkerErrors.Stopped);
                await worker.Exited.ConfigureAwait(false);
            }
            catch (WorkerStartException)
            {
                // Never started: nothing to stop.
            }
        }
    }

    Slot ChooseLocked()
    {
        Slot? best = null;
        var active = 0;
        foreach (var slot in _slots)
        {
            if (slot.Retiring || slot.Started.IsFaulted || slot.Worker is { IsEnding: true })
            {
                continue;
            }
            active++;
            if (best is null || slot.Assigned < best.Assigned)
            {
                best = slot;
            }
        }
        return best is null || (best.Assigned >= _options.InvocationsPerWorker && active < _options.MaxWorkers) ? StartLocked() : best;
    }

    void TopUpLocked()
    {
        var active = _slots.Count(s => !s.Retiring && !s.Started.IsFaulted && s.Worker is not { IsEnding: true });
        for (; !_stopped && active < _options.MinWarm; active++)
        {
            StartLocked();
        }
    }

    Slot StartLocked()
    {
        var slot = new Slot();
        slot.Started = StartAsync(slot);
        _slots.Add(slot);
        return slot;
    }

    async Task<WorkerConnection> StartAsync(Slot slot)
    {
        await Task.Yield(); // Never start a process under the pool's lock.
        try
        {
            var worker = await WorkerConnection.StartAsync(_start, _request, _hello, _options.StartTimeout, _logger, _time).ConfigureAwait(false);
            lock (_gate)
            {
                slot.Worker = worker;
            }
            _ = worker.Exited.ContinueWith(_ => OnExited(slot), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return worker;
        }
        catch (WorkerStartException e)
        {
            LogStartFailed(_logger, Bundle, e.Message);
            lock (_gate)
            {
                // Not replaced now: a worker that cannot start would be restarted in a loop. The next invocation tries again.
                _slots.Remove(slot);
            }
            throw;
        }
    }

    void OnExited(Slot slot)
    {
        lock (_gate)
        {
            _slots.Remove(slot);
            TopUpLocked();
        }
    }

    void Release(Slot slot)
    {
        var close = false;
        lock (_gate)
        {
            slot.Assigned--;
            if (!slot.Retiring && slot.Worker is { RecycleRequested: true })
            {
                slot.Retiring = true;
                TopUpLocked();
            }
            if (slot.Retiring && slot.Assigned == 0 && !slot.Closing)
            {
                slot.Closing = true;
                close = true;
            }
        }
        if (close)
        {
            _ = CloseAsync(slot);
        }
    }

    static async Task CloseAsync(Slot slot)
    {
        try
        {
            var worker = await slot.Started.ConfigureAwait(false);
            await worker.CloseAsync().ConfigureAwait(false);
        }
        catch (WorkerStartException)
        {
            // Never started.
        }
    }

    /// <summary>One worker of the pool, from the moment its start was decided (state under the pool's lock).</summary>
    sealed class Slot
    {
        public Task<WorkerConnection> Started { get; set; } = null!;

        /// <summary>The worker, once started.</summary>
        public WorkerConnection? Worker { get; set; }

        /// <summary>Invocations sent to it and not yet ended.</summary>
        public int Assigned { get; set; }

        /// <summary>Takes no new invocation (out of memory, or the version stopped).</summary>
        public bool Retiring { get; set; }

        public bool Closing { get; set; }
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "No worker could be started for {Bundle}: {Reason}")]
    static partial void LogStartFailed(ILogger logger, string bundle, string reason);
}
