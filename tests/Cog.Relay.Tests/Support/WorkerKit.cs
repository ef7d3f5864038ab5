using Cog.Relay.Execution;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Cog.Testing;

namespace Cog.Relay.Tests.Support;

/// <summary>A <see cref="WorkerEngine"/> with real worker processes started through the <see cref="UnconfinedSandbox"/>,
/// its compiled-script cache in a temporary folder, and its log collected.</summary>
sealed class WorkerKit : IAsyncDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "cog-worker-tests-" + Guid.NewGuid().ToString("N"));

    /// <param name="cacheDirectory">The compiled-script cache (a fresh one under the kit's folder by default).</param>
    public WorkerKit(WorkerOptions? options = null, string? cacheDirectory = null)
    {
        Scripts = new CompiledScripts(cacheDirectory ?? Path.Combine(_root, "scripts"));
        Engine = new WorkerEngine(Scripts, new UnconfinedSandbox(), options ?? WorkerOptions.Default, Logs.CreateLogger("Cog.Relay.Workers"), TimeProvider.System);
    }

    public CollectingLoggerFactory Logs { get; } = new();

    public CompiledScripts Scripts { get; }

    public WorkerEngine Engine { get; }

    /// <summary>Serves the bundle version in <paramref name="directory"/> (starts its warm workers).</summary>
    public WorkerPool Load(string bundle, string directory, string? assembly = null)
    {
        Engine.Load(bundle, directory, assembly);
        return Engine.PoolOf(directory)!;
    }

    public Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, CancellationToken cancellationToken, ExecutionLimits? limits = null) =>
        Engine.RunAsync(invocation, limits ?? ExecutionLimits.Default, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
