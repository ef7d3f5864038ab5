using System.Globalization;
using System.Runtime.InteropServices;
using Cog.Manifest;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Isolation;
using Cog.Worker;
using Cog.Worker.Protocol;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Execution.Workers;

/// <summary>
/// Runs <c>script:</c> commands and plug-in <c>type</c> commands in worker processes (<see cref="WorkerPool"/>, one per
/// bundle version), started only through the <see cref="ISandbox"/>: the relay compiles scripts
/// (<see cref="CompiledScripts"/>) and never runs bundle code itself.
/// </summary>
/// <remarks>
/// <para>A bundle version's pool exists between <see cref="Load"/> and the matching <see cref="Unload"/> (counted: a
/// dev-mode reload of the same folder loads before the old version unloads). The worker runs as <c>dotnet exec
/// Cog.Worker.dll</c> from the relay's own folder — or, when the relay was published self-contained (the Debian
/// package), as the <c>Cog.Worker</c> executable published beside it — with an environment of its own: the .NET runtime's variables,
/// <c>PATH</c>, <c>HOME</c> and <c>TMPDIR</c> (<c>/tmp</c>), <c>LANG</c>, and the heap limit — never the relay's token
/// or settings.</para>
/// <para>Thread-safe.</para>
/// </remarks>
sealed class WorkerEngine : IBundleCodeEngine
{
    readonly CompiledScripts _scripts;
    readonly Func<SandboxRequest, IWorkerProcess> _start;
    readonly WorkerOptions _options;
    readonly ILogger _logger;
    readonly TimeProvider _time;
    readonly Lock _gate = new();
    readonly Dictionary<string, (WorkerPool Pool, int Loads)> _pools = new(StringComparer.Ordinal);

    /// <param name="sandbox">Every worker process is started through it.</param>
    public WorkerEngine(CompiledScripts scripts, ISandbox sandbox, WorkerOptions options, ILogger logger, TimeProvider time)
        : this(scripts, StartThrough(sandbox), options, logger, time)
    {
    }

    /// <summary>An engine whose workers are started by <paramref name="start"/>: <see cref="InProcessWorker.Start"/> runs
    /// their frame loops inside this process, without isolation (tests of the channel).</summary>
    internal WorkerEngine(CompiledScripts scripts, Func<SandboxRequest, IWorkerProcess> start, WorkerOptions options, ILogger logger, TimeProvider time)
    {
        _scripts = scripts ?? throw new ArgumentNullException(nameof(scripts));
        _start = start ?? throw new ArgumentNullException(nameof(start));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>What a worker process needs beyond its managed heap (runtime, JIT, native code), in MiB: the sandbox's
    /// memory limit for the whole process is the heap limit plus this, so a large allocation is an
    /// <see cref="OutOfMemoryException"/> in the worker before the process limit is reached.</summary>
    public const int ProcessOverheadMb = 256;

    /// <summary>The worker program: <c>Cog.Worker.dll</c> beside the relay's assemblies.</summary>
    public static string WorkerProgram { get; } = typeof(WorkerHost).Assembly.Location;

    /// <summary>Whether the relay was published self-contained: the runtime is in the relay's own folder, there is no
    /// <c>dotnet</c> host, and the worker is started as its own executable, published beside the relay with the same
    /// runtime (<c>./build.sh package</c> does).</summary>
    public static bool SelfContained { get; } =
        Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory()) == Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);

    /// <summary>The .NET installation the relay runs on: the one whose <c>dotnet</c> host starts the workers, or the
    /// relay's own folder when it is self-contained.</summary>
    public static string DotnetRoot { get; } = SelfContained
        ? Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)
        : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The compiled scripts (tests count compilations through it).</summary>
    public CompiledScripts Scripts => _scripts;

    /// <summary>Starts serving the bundle version in <paramref name="directory"/>: its pool is created (warm workers
    /// start now) or, when already there, counted once more.</summary>
    /// <param name="assembly">The manifest's plug-in assembly (relative to the folder), or <see langword="null"/>.</param>
    public void Load(string bundle, string directory, string? assembly)
    {
        var key = FullDirectory(directory);
        WorkerPool pool;
        lock (_gate)
        {
            if (_pools.TryGetValue(key, out var existing))
            {
                _pools[key] = (existing.Pool, existing.Loads + 1);
                return;
            }
            pool = new WorkerPool(_start, Request(bundle, key), new HelloMessage(Frames.ProtocolVersion, bundle, key, assembly), _options, _logger, _time);
            _pools[key] = (pool, 1);
        }
        pool.Warm();
    }

    /// <summary>Ends one <see cref="Load"/> of the folder; the last one stops its pool (workers close once idle) and
    /// forgets its compiled scripts.</summary>
    public void Unload(string directory)
    {
        var key = FullDirectory(directory);
        WorkerPool? stopped = null;
        lock (_gate)
        {
            if (!_pools.TryGetValue(key, out var entry))
            {
                return;
            }
            if (entry.Loads > 1)
            {
                _pools[key] = (entry.Pool, entry.Loads - 1);
                return;
            }
            _pools.Remove(key);
            stopped = entry.Pool;
        }
        stopped.Stop();
        _scripts.Forget(key);
    }

    /// <summary>The pool of the bundle version in <paramref name="directory"/>, or <see langword="null"/>.</summary>
    internal WorkerPool? PoolOf(string directory)
    {
        lock (_gate)
        {
            return _pools.TryGetValue(FullDirectory(directory), out var entry) ? entry.Pool : null;
        }
    }

    /// <inheritdoc/>
    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(limits);
        if (invocation.Command.Kind is not (CommandKind.Script or CommandKind.Type))
        {
            throw new ArgumentException($"Workers run scripts and plug-in types, not {invocation.Command.Kind}.", nameof(invocation));
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(ExecutionErrors.Cancelled);
        }
        if (PoolOf(invocation.BundleDirectory) is not { } pool)
        {
            return ExecutionOutcome.Error(WorkerErrors.NotLoaded(invocation.Context.Bundle));
        }
        ScriptImage? image = null;
        if (invocation.Command.Kind == CommandKind.Script)
        {
            string? error;
            try
            {
                (image, error) = await _scripts.GetAsync(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExecutionOutcome.Error(ExecutionErrors.Cancelled);
            }
            if (error is not null)
            {
                return ExecutionOutcome.Error(error);
            }
        }
        return await pool.RunAsync(invocation, image, limits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills every worker (the relay stops).</summary>
    public async ValueTask DisposeAsync()
    {
        WorkerPool[] pools;
        lock (_gate)
        {
            pools = [.. _pools.Values.Select(e => e.Pool)];
            _pools.Clear();
        }
        foreach (var pool in pools)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    SandboxRequest Request(string bundle, string directory) => new(
        SelfContained ? Path.ChangeExtension(WorkerProgram, null) : Path.Combine(DotnetRoot, "dotnet"),
        SelfContained ? [] : ["exec", WorkerProgram],
        Environment(_options),
        bundle,
        directory,
        SelfContained ? [DotnetRoot] : [Path.GetDirectoryName(WorkerProgram)!, DotnetRoot],
        ((long)_options.MemoryLimitMb + ProcessOverheadMb) * 1024 * 1024);

    /// <summary>A worker's whole environment.</summary>
    internal static Dictionary<string, string> Environment(WorkerOptions options) => new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = "/tmp",
        ["TMPDIR"] = "/tmp",
        ["LANG"] = "C.UTF-8",
        ["DOTNET_ROOT"] = DotnetRoot,
        // An allocation past the limit is an OutOfMemoryException in the worker, not a relay-sized heap.
        ["DOTNET_GCHeapHardLimit"] = ((long)options.MemoryLimitMb * 1024 * 1024).ToString("x", CultureInfo.InvariantCulture),
        // Workstation GC: a worker is one small process among several.
        ["DOTNET_gcServer"] = "0",
        // No debugger, profiler or event-pipe socket: nothing attaches to a worker from outside.
        ["DOTNET_EnableDiagnostics"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    static Func<SandboxRequest, IWorkerProcess> StartThrough(ISandbox sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        return request => SandboxedWorkerProcess.Start(sandbox, request);
    }

    static string FullDirectory(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
}
