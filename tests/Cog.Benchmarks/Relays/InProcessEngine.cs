using System.Collections.Concurrent;
using System.Reflection;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Sdk;
using Cog.Worker;
using Cog.Worker.Plugins;
using Cog.Worker.Protocol;
using Cog.Worker.Results;
using Cog.Worker.Scripts;

namespace Cog.Benchmarks.Relays;

/// <summary>
/// The relay benchmark's baseline: script and plug-in commands run in the benchmark's own process, as relays ran them
/// before worker processes — the plug-in loaded once per bundle folder (<see cref="PluginBundle"/>), each script image
/// from the relay's <see cref="CompiledScripts"/> loaded once (<see cref="LoadedScript"/>), the command run on the
/// thread pool and its result converted in place. No channel, no frames, no process.
/// </summary>
/// <remarks>Gives no isolation at all and cannot stop a command that ignores its token (it is abandoned): for
/// measuring what the worker path adds, never for serving bundles. Thread-safe.</remarks>
sealed class InProcessEngine(CompiledScripts scripts) : IBundleCodeEngine
{
    readonly Lock _gate = new();
    readonly Dictionary<string, (PluginBundle Plugin, int Loads)> _plugins = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Lazy<LoadedScript>> _loadedScripts = new(StringComparer.Ordinal);

    public void Load(string bundle, string directory, string? assembly)
    {
        var key = FullDirectory(directory);
        lock (_gate)
        {
            _plugins[key] = _plugins.TryGetValue(key, out var loaded)
                ? (loaded.Plugin, loaded.Loads + 1)
                : (new PluginBundle(bundle, key, assembly), 1);
        }
    }

    public void Unload(string directory)
    {
        var key = FullDirectory(directory);
        lock (_gate)
        {
            if (_plugins.TryGetValue(key, out var loaded))
            {
                if (loaded.Loads > 1)
                    _plugins[key] = (loaded.Plugin, loaded.Loads - 1);
                else
                    _plugins.Remove(key);
            }
        }
        scripts.Forget(key);
    }

    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(limits);
        if (cancellationToken.IsCancellationRequested)
            return ExecutionOutcome.Error(ExecutionErrors.Cancelled);
        Func<Task<ResultMessage>> command;
        if (invocation.Command.Kind == CommandKind.Script)
        {
            var (image, error) = await scripts.GetAsync(invocation, cancellationToken).ConfigureAwait(false);
            if (image is null)
                return ExecutionOutcome.Error(error!);
            var script = _loadedScripts.GetOrAdd(image.Key, static (key, image) => new Lazy<LoadedScript>(() => LoadedScript.Load(key, image)), image.Image).Value;
            command = () => RunScriptAsync(script, invocation.Context, limits, cancellationToken);
        }
        else
        {
            PluginBundle? plugin;
            lock (_gate)
            {
                plugin = _plugins.GetValueOrDefault(FullDirectory(invocation.BundleDirectory)).Plugin;
            }
            if (plugin is null)
                return ExecutionOutcome.Error(WorkerErrors.NotLoaded(invocation.Context.Bundle));
            command = () => RunTypeAsync(plugin, invocation, limits, cancellationToken);
        }
        try
        {
            // On the pool, so that a command blocking before its first await does not block the caller.
            var result = await Task.Run(command, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            return WorkerConnection.ToOutcome(result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(ExecutionErrors.Cancelled);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            return ExecutionOutcome.Error(ExecutionErrors.Threw(inner.GetType().Name, inner.Message));
        }
#pragma warning disable CA1031 // The command's failure, whatever it threw, is its outcome (ICommandEngine's contract).
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ExecutionOutcome.Error(ExecutionErrors.Threw(e.GetType().Name, e.Message));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    static async Task<ResultMessage> RunScriptAsync(LoadedScript script, CommandContext context, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var submissions = new object[2];
        submissions[0] = new ScriptGlobals(context, cancellationToken);
        var value = await script.Factory(submissions).ConfigureAwait(false);
        return ResultConverter.ToResult(0, ScriptResults.ToResult(value), limits.MaxOutputBytes);
    }

    static async Task<ResultMessage> RunTypeAsync(PluginBundle plugin, CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var name = invocation.Command.Target;
        var resolution = plugin.Resolve(name);
        if (resolution.Type is null)
            return ResultConverter.Error(0, resolution.Error!);
        var command = (ICommand)Activator.CreateInstance(resolution.Type)!;
        var task = command.ExecuteAsync(invocation.Context, cancellationToken);
        if (task is null)
            return ResultConverter.Error(0, AssemblyErrors.NullTask(name));
        var result = await task.ConfigureAwait(false);
        return result is null
            ? ResultConverter.Error(0, AssemblyErrors.NullResult(name))
            : ResultConverter.ToResult(0, result, limits.MaxOutputBytes, resolution.SerializerOptions!);
    }

    static string FullDirectory(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
}
