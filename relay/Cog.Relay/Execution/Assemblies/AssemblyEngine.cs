using System.Reflection;
using Cog.Manifest;
using Cog.Sdk;

namespace Cog.Relay.Execution.Assemblies;

/// <summary>
/// Runs <c>type</c> commands: a class implementing <see cref="ICommand"/> in the bundle's plugin assembly, one new
/// instance per invocation, in the bundle version's own load context (<see cref="PluginBundleCache"/>).
/// </summary>
/// <remarks>
/// <para>A bundle version not registered with the cache is registered on its first invocation from the manifest in the
/// invocation's bundle folder.</para>
/// <para>When the token fires and the command does not return, the engine reports <see cref="AssemblyErrors.Cancelled"/>
/// at once and abandons the command's task: code running in the relay's process cannot be killed, only asked to stop
/// through the token. The relay process is the trust boundary; a load context isolates dependency versions, not
/// permissions.</para>
/// </remarks>
sealed class AssemblyEngine(PluginBundleCache bundles) : ICommandEngine
{
    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(limits);
        if (invocation.Command.Kind != CommandKind.Type)
        {
            throw new ArgumentException($"The assembly engine runs 'type' commands, not {invocation.Command.Kind}.", nameof(invocation));
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(AssemblyErrors.Cancelled);
        }
        var (bundle, failure) = Enter(invocation);
        if (bundle is null)
        {
            return ExecutionOutcome.Error(failure!);
        }

        Task<ExecutionOutcome> running;
        try
        {
            var typeName = invocation.Command.Target;
            var resolution = bundle.Resolve(typeName);
            if (resolution.Type is null)
            {
                bundle.Exit();
                return ExecutionOutcome.Error(resolution.Error!);
            }
            // The command's own thread: a command that blocks before its first await must not block the engine.
            running = Task.Run(() => ExecuteAsync(resolution, invocation, limits, cancellationToken), CancellationToken.None);
        }
        catch
        {
            bundle.Exit();
            throw;
        }
        // The version stays loaded until the command's code has really finished, even when it was abandoned.
        _ = running.ContinueWith(static (_, state) => ((PluginBundle)state!).Exit(), bundle,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(AssemblyErrors.Cancelled);
        }
    }

    (PluginBundle? Bundle, string? Failure) Enter(CommandInvocation invocation)
    {
        var name = invocation.Context.Bundle;
        if (bundles.Enter(name, invocation.BundleDirectory) is { } registered)
        {
            return (registered, null);
        }
        var loaded = ManifestLoader.LoadDirectory(invocation.BundleDirectory);
        if (loaded.Manifest is not { } manifest)
        {
            var reason = loaded.Errors.IsDefaultOrEmpty ? "no manifest" : loaded.Errors[0].ToString();
            return (null, AssemblyErrors.BundleNotLoaded(name, reason));
        }
        if (manifest.Name != name)
        {
            return (null, AssemblyErrors.WrongBundle(name, manifest.Name));
        }
        bundles.Load(manifest, invocation.BundleDirectory);
        // Null only if the version was unloaded in between: then it must not run.
        return bundles.Enter(name, invocation.BundleDirectory) is { } bundle
            ? (bundle, null)
            : (null, AssemblyErrors.BundleNotLoaded(name, "it was unloaded"));
    }

    static async Task<ExecutionOutcome> ExecuteAsync(TypeResolution resolution, CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var name = invocation.Command.Target;
        try
        {
            var command = (ICommand)Activator.CreateInstance(resolution.Type!)!;
            var task = command.ExecuteAsync(invocation.Context, cancellationToken);
            if (task is null)
            {
                return ExecutionOutcome.Error(AssemblyErrors.NullTask(name));
            }
            var result = await task.ConfigureAwait(false);
            // Serializing the items runs the bundle's code too (property getters), so it happens here, under the same guard.
            return result is null ? ExecutionOutcome.Error(AssemblyErrors.NullResult(name)) : ResultConverter.ToOutcome(result, limits, resolution.SerializerOptions!);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(AssemblyErrors.Cancelled);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            return ExecutionOutcome.Error(ExecutionErrors.Threw(inner.GetType().Name, inner.Message));
        }
        // The command's failure is the invocation's outcome, whatever it threw (ICommandEngine's contract).
        catch (Exception e)
        {
            return ExecutionOutcome.Error(ExecutionErrors.Threw(e.GetType().Name, e.Message));
        }
    }
}
