using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Cog.Sdk;
using Cog.Worker.Plugins;
using Cog.Worker.Protocol;
using Cog.Worker.Results;
using Cog.Worker.Scripts;

namespace Cog.Worker;

/// <summary>
/// The worker's side of the channel: answers the relay's hello, keeps the script images it is sent loaded, runs the
/// invocations it is asked to (many at once, each on the thread pool), and sends their results, log lines and store
/// requests back.
/// </summary>
/// <remarks>
/// <para>Runs over any pair of streams: the worker process uses its stdin and stdout, a benchmark or a test may use a
/// pipe pair inside one process. Every outgoing message goes through one queue written by one loop, so a command's log
/// lines arrive before its result.</para>
/// <para><see cref="RunAsync"/> returns when the input ends (the relay closed the channel or is gone): running
/// invocations are cancelled and not answered. A malformed frame throws <see cref="ChannelException"/>.</para>
/// </remarks>
sealed class WorkerHost(Stream input, Stream output)
{
    /// <summary>The size of the buffers on the channel's streams: a read takes every frame the pipe holds, and a write
    /// gathers the frames queued together.</summary>
    internal const int BufferBytes = 64 * 1024;

    readonly Channel<ChannelMessage> _outbox = Channel.CreateUnbounded<ChannelMessage>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<string, LoadedScript> _scripts = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> _brokenScripts = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    readonly ConcurrentDictionary<long, TaskCompletionSource<StoreReplyMessage>> _storeWaits = new();
    PluginBundle? _plugin;
    long _storeRequests;

    /// <summary>Serves the channel until its input ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Buffered: a frame's header and body, and the frames that arrived together, are one read of the pipe.
        // Not disposed: that would close the caller's stream.
        var channelIn = new BufferedStream(input, BufferBytes);
        var pump = Task.Run(() => PumpAsync(cancellationToken), CancellationToken.None);
        try
        {
            var hello = await Frames.ReadAsync(channelIn, cancellationToken).ConfigureAwait(false) as HelloMessage
                ?? throw new ChannelException("the first message is not hello");
            if (hello.Protocol != Frames.ProtocolVersion)
            {
                throw new ChannelException($"protocol {hello.Protocol}, this worker speaks {Frames.ProtocolVersion}");
            }
            _plugin = new PluginBundle(hello.Bundle, hello.BundleDirectory, hello.Assembly);
            Send(new ReadyMessage(Frames.ProtocolVersion, Environment.ProcessId));
            while (await Frames.ReadAsync(channelIn, cancellationToken).ConfigureAwait(false) is { } message)
            {
                Handle(message);
            }
        }
        finally
        {
            foreach (var running in _running.Values)
            {
                await running.CancelAsync().ConfigureAwait(false);
            }
            _outbox.Writer.TryComplete();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    void Handle(ChannelMessage message)
    {
        switch (message)
        {
            case LoadScriptMessage load:
                Load(load);
                break;
            case InvokeMessage invoke:
                var cancellation = new CancellationTokenSource();
                if (!_running.TryAdd(invoke.Id, cancellation))
                {
                    cancellation.Dispose();
                    throw new ChannelException($"invocation {invoke.Id} is already running");
                }
                _ = Task.Run(() => InvokeAsync(invoke, cancellation), CancellationToken.None);
                break;
            case CancelMessage cancel:
                if (_running.TryGetValue(cancel.Id, out var running))
                {
                    running.Cancel();
                }
                break;
            case StoreReplyMessage reply:
                if (_storeWaits.TryRemove(reply.RequestId, out var wait))
                {
                    wait.TrySetResult(reply);
                }
                break;
            default:
                throw new ChannelException($"a {message.GetType().Name} sent to a worker");
        }
    }

    void Load(LoadScriptMessage load)
    {
        try
        {
            _scripts[load.Key] = LoadedScript.Load(load.Key, load.Image);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or InvalidOperationException)
        {
            _brokenScripts[load.Key] = e.Message;
        }
    }

    async Task InvokeAsync(InvokeMessage invoke, CancellationTokenSource cancellation)
    {
        ResultMessage result;
        try
        {
            result = await ExecuteAsync(invoke, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(invoke.Id, out _);
            cancellation.Dispose();
        }
        Send(result);
    }

    async Task<ResultMessage> ExecuteAsync(InvokeMessage invoke, CancellationToken cancellationToken)
    {
        try
        {
            return invoke.Kind switch
            {
                InvokeMessage.ScriptKind => await RunScriptAsync(invoke, CreateContext(invoke), cancellationToken).ConfigureAwait(false),
                InvokeMessage.TypeKind => await RunTypeAsync(invoke, CreateContext(invoke), cancellationToken).ConfigureAwait(false),
                _ => ResultConverter.Error(invoke.Id, $"Unknown command kind '{invoke.Kind}'."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ResultConverter.Error(invoke.Id, ExecutionErrors.Cancelled);
        }
        catch (OutOfMemoryException)
        {
            // The heap limit was reached: this worker's state may be broken anywhere, so it is replaced.
            return ResultConverter.Error(invoke.Id, ExecutionErrors.OutOfMemory, recycle: true);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            return ResultConverter.Error(invoke.Id, ExecutionErrors.Threw(inner.GetType().Name, inner.Message), recycle: inner is OutOfMemoryException);
        }
#pragma warning disable CA1031 // The command's failure, whatever it threw, is its invocation's result.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ResultConverter.Error(invoke.Id, ExecutionErrors.Threw(e.GetType().Name, e.Message));
        }
    }

    async Task<ResultMessage> RunScriptAsync(InvokeMessage invoke, CommandContext context, CancellationToken cancellationToken)
    {
        if (invoke.ScriptKey is not { } key || !_scripts.TryGetValue(key, out var script))
        {
            // A relay bug (it sends each image before its first invocation) or an image the runtime refused.
            var error = invoke.ScriptKey is { } broken && _brokenScripts.TryGetValue(broken, out var reason) ? reason : "the relay sent no compiled script";
            return ResultConverter.Error(invoke.Id, ExecutionErrors.Threw(nameof(BadImageFormatException), error));
        }
        var submissions = new object[2];
        submissions[0] = new ScriptGlobals(context, cancellationToken);
        var value = await script.Factory(submissions).ConfigureAwait(false);
        // Enumerating a lazy result runs script code too: it happens here, under the same guard.
        return ResultConverter.ToResult(invoke.Id, ScriptResults.ToResult(value), invoke.MaxOutputBytes);
    }

    async Task<ResultMessage> RunTypeAsync(InvokeMessage invoke, CommandContext context, CancellationToken cancellationToken)
    {
        var resolution = _plugin!.Resolve(invoke.Target);
        if (resolution.Type is null)
        {
            return ResultConverter.Error(invoke.Id, resolution.Error!);
        }
        var command = (ICommand)Activator.CreateInstance(resolution.Type)!;
        var task = command.ExecuteAsync(context, cancellationToken);
        if (task is null)
        {
            return ResultConverter.Error(invoke.Id, AssemblyErrors.NullTask(invoke.Target));
        }
        var result = await task.ConfigureAwait(false);
        // Serializing the items runs the bundle's code too (property getters), so it happens here, under the same guard.
        return result is null
            ? ResultConverter.Error(invoke.Id, AssemblyErrors.NullResult(invoke.Target))
            : ResultConverter.ToResult(invoke.Id, result, invoke.MaxOutputBytes, resolution.SerializerOptions!);
    }

    CommandContext CreateContext(InvokeMessage invoke)
    {
        var data = invoke.Context;
        return new CommandContext
        {
            Bundle = data.Bundle,
            Command = data.Command,
            PipelineId = data.PipelineId,
            InvocationId = data.InvocationId,
            Step = Enum.TryParse<InvocationStep>(data.Step, out var step) ? step : throw new ChannelException($"an invocation step '{data.Step}'"),
            Arguments = new CommandArguments(data.Args),
            Options = new CommandOptions(data.Options),
            Input = data.Input,
            User = new CommandUser(data.Username, data.ChatHandle, data.Email),
            Room = new CommandRoom(data.Room, data.DirectRoom),
            Configuration = data.Configuration,
            Store = new ChannelPipelineStore(this, invoke.Id),
            Log = new ChannelCommandLog(this, invoke.Id),
            TraceParent = data.TraceParent,
            TraceState = data.TraceState,
        };
    }

    /// <summary>Queues <paramref name="message"/> for the relay.</summary>
    internal void Send(ChannelMessage message) => _outbox.Writer.TryWrite(message);

    /// <summary>Sends a store request of invocation <paramref name="id"/> and waits for the relay's reply.</summary>
    internal async ValueTask<JsonElement?> StoreAsync(long id, string operation, string key, JsonElement? value, CancellationToken cancellationToken)
    {
        var requestId = Interlocked.Increment(ref _storeRequests);
        var wait = new TaskCompletionSource<StoreReplyMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _storeWaits[requestId] = wait;
        try
        {
            Send(new StoreRequestMessage(requestId, id, operation, key, value));
            var reply = await wait.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return reply.Error is { } error ? throw new InvalidOperationException(error) : reply.Value;
        }
        finally
        {
            _storeWaits.TryRemove(requestId, out _);
        }
    }

    Task PumpAsync(CancellationToken cancellationToken) => WriteAllAsync(_outbox.Reader, output, cancellationToken);

    /// <summary>Writes the messages of <paramref name="outbox"/> to <paramref name="output"/> until the outbox is
    /// completed: whatever is queued when the writer gets to it goes out as one write (the results of many invocations
    /// that ended at once cost one system call), and nothing waits in the buffer while the outbox is empty.</summary>
    internal static async Task WriteAllAsync(ChannelReader<ChannelMessage> outbox, Stream output, CancellationToken cancellationToken)
    {
        // Not disposed (that would close the caller's stream): every batch is flushed.
        var buffered = new BufferedStream(output, BufferBytes);
        while (await outbox.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (outbox.TryRead(out var message))
            {
                await Frames.WriteUnflushedAsync(buffered, message, cancellationToken).ConfigureAwait(false);
            }
            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
