using System.Collections.Concurrent;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Relay.Bundles;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging;

namespace Cog.Sdk.Testing;

/// <summary>
/// A relay serving one bundle version inside the test process, reached without a broker: each call is converted into
/// the relay's invocation request exactly as the server's <see cref="RelayCommandExecutor"/> and
/// <see cref="RelayDispatcher"/> do, run by the relay's own <see cref="InvocationRunner"/> (context, time limit,
/// cancellation, pipeline store) and engines, and its result converted back as the server converts it.
/// </summary>
/// <remarks>
/// <para>Engines: executables run as processes through the relay's unconfined sandbox (exactly the environment a relay
/// gives them, the bundle folder as working directory, no namespaces); scripts and plug-in types run in the relay's
/// <see cref="WorkerEngine"/> whose workers are frame loops inside this process (<see cref="InProcessWorker"/>): the same
/// channel, compiler, script loader and plug-in loader as a relay, without the worker process, so a debugger stops in
/// bundle code and no worker executable has to ship with the kit. The price: no isolation, and a command that ignores
/// its cancellation token cannot be stopped (it is abandoned after its time limit, as the relay answers).</para>
/// <para>What only a real relay does is left out: relay selection, acks over the network, redelivery.</para>
/// <para>Thread-safe.</para>
/// </remarks>
sealed class InProcessRelay : ICommandExecutor, IBundleLeases, IInvocationPublisher, IAsyncDisposable
{
    const string RelayId = "test-kit";

    /// <summary>How long after its own time limit a command's result is awaited (the relay answers at the limit), and
    /// how long a cancelled command has to end.</summary>
    static readonly TimeSpan ResultAllowance = TimeSpan.FromSeconds(30);

    static readonly IReadOnlySet<string> Relays = new HashSet<string>(StringComparer.Ordinal) { RelayId };

    readonly ReadyBundle _bundle;
    readonly DynamicConfig _configuration;
    readonly TimeProvider _time;
    readonly WorkerEngine _code;
    readonly ExecutableEngine _executables = new(new UnconfinedSandbox());
    readonly InvocationRunner _runner;
    readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResult>> _results = new(StringComparer.Ordinal);

    public InProcessRelay(LoadedBundle bundle, CompiledScripts scripts, IReadOnlyDictionary<string, string> configuration, ILoggerFactory loggers,
        TimeProvider time)
    {
        _bundle = new ReadyBundle(bundle.Manifest.Name, bundle.Manifest.Version, bundle.Digest, bundle.Manifest, bundle.Directory);
        // One base layer, merged for each call as the server merges stored layers (reserved keys dropped).
        _configuration = DynamicConfig.From([new ConfigLayer(bundle.Manifest.Name, ConfigLayer.Base, JsonSerializer.Serialize(configuration), time.GetUtcNow())]);
        _time = time;
        _code = new WorkerEngine(scripts, InProcessWorker.Start, WorkerOptions.Default, loggers.CreateLogger<WorkerEngine>(), time);
        _code.Load(_bundle.Name, _bundle.Directory, bundle.Manifest.Assembly);
        _runner = new InvocationRunner(RelayId, this, this, new PipelineStores(time), loggers, time, capacity: 16, rememberedRequests: 1024);
    }

    /// <inheritdoc/>
    public async Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var dispatch = RelayCommandExecutor.ToRequest(call, _bundle.Digest, _configuration.Merge(call.Room.Name, call.Caller.Username), Relays);
        var requestId = Guid.NewGuid().ToString("D");
        var now = _time.GetUtcNow();
        // Only this kit submits, so a request waiting for a free slot may wait as long as the call itself may.
        var deadline = now + dispatch.Timeout + ResultAllowance;
        var request = RelayDispatcher.ToMessage(dispatch, requestId, deadline, deadline);
        var result = new TaskCompletionSource<InvocationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _results[requestId] = result;
        try
        {
            _runner.Submit(request);
            try
            {
                var completed = await result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return RelayCommandExecutor.ToOutcome(call, new DispatchOutcome(DispatchStatus.Completed, RelayId, completed, null, 1)
                {
                    RequestId = requestId,
                    Acknowledged = true,
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // As the dispatcher does: the relay is told, and the command's end is awaited so that nothing of this
                // pipeline still runs when the test goes on.
                _runner.Cancel(new InvocationCancel(requestId, RelayId, "the pipeline was stopped"));
                try
                {
                    await result.Task.WaitAsync(ResultAllowance, _time, CancellationToken.None).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // A command that ignores its token is abandoned, as the relay abandons it.
                }
                return RelayCommandExecutor.ToOutcome(call,
                    new DispatchOutcome(DispatchStatus.Cancelled, RelayId, null, Runtime.Relays.RelayMessages.Cancelled(call.Bundle, call.Command), 1));
            }
        }
        finally
        {
            _results.TryRemove(requestId, out _);
        }
    }

    /// <inheritdoc/>
    public BundleLease? TryAcquire(string bundle, string version) =>
        bundle == _bundle.Name && version == _bundle.Version ? new BundleLease(_bundle, static () => { }) : null;

    /// <inheritdoc/>
    public ICommandEngine EngineFor(ReadyBundle bundle, CommandKind kind) => kind switch
    {
        CommandKind.Executable => _executables,
        CommandKind.Script or CommandKind.Type => _code,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown command kind."),
    };

    /// <summary>The "broker" took the ack at once.</summary>
    public Task<bool> PublishAckAsync(InvocationAck ack, DateTimeOffset ackBy, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Hands the result to the call that waits for it.</summary>
    public Task PublishResultAsync(InvocationResult result, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_results.TryGetValue(result.RequestId, out var waiting))
            waiting.TrySetResult(result);
        return Task.CompletedTask;
    }

    /// <summary>Lets running commands end (cancelled after a short grace), then stops the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        await _runner.StopAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
        _code.Unload(_bundle.Directory);
        await _code.DisposeAsync().ConfigureAwait(false);
    }
}
