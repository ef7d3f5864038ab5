using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Cog.Resilience;
using Polly;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Bundles;

/// <summary>
/// The relay's bundle management (<see cref="IBundleHost"/>): downloads, verifies, caches, unpacks and loads the
/// assigned bundle versions (protocol §6.2, §7), serves the dev folder in dev mode, and owns the command engines:
/// executables, and the worker processes of scripts and plug-in assemblies (one pool per loaded version).
/// </summary>
/// <remarks>
/// <para>Each assigned version gets its own background worker: it takes the verified package from the cache (or
/// downloads it from the configured server origin and checks its size and SHA-256 before anything is unpacked),
/// unpacks it into a folder of its own under <c>&lt;cache&gt;/bundles/</c>, loads the manifest and starts its warm
/// workers; a failure is announced and retried through the <see cref="Backoff"/> pipeline <c>cog.relay.bundle</c>,
/// after <see cref="BundleHostOptions.FirstRetryDelay"/> (1 s) doubling up to <see cref="BundleHostOptions.MaxRetryDelay"/>
/// (5 minutes), while the version stays assigned.</para>
/// <para>A version that is no longer assigned (or replaced by another digest) leaves <see cref="Current"/> at once and
/// <see cref="TryAcquire"/> refuses it; when its last lease ends its workers are closed, its compiled scripts are
/// dropped and its folder is deleted.</para>
/// <para>Thread-safe. State changes happen under one lock; <see cref="TryAcquire"/> takes no lock.</para>
/// </remarks>
sealed partial class BundleHost : IBundleHost
{
    readonly BundleHostOptions _options;
    readonly ILogger _logger;
    readonly TimeProvider _time;
    readonly ResiliencePipeline<ReadyAttempt> _retry;
    readonly PackageCache _packages;
    readonly string _bundlesDirectory;
    readonly CompiledScripts _scripts;
    readonly IBundleCodeEngine _code;
    readonly ExecutableEngine _executables;
    readonly ContainerEngine? _containers;
    readonly CancellationTokenSource _stopping = new();
    readonly Lock _gate = new();
    readonly Lock _raiseGate = new();
    readonly Dictionary<(string Name, string Version), AssignedBundle> _assigned = [];
    Dictionary<(string Name, string Version), HostedVersion> _ready = [];
    BundleSnapshot _current = BundleSnapshot.Empty;
    long _revision = -1;
    long _folders;
    Task _warmUp = Task.CompletedTask;
    bool _started;
    bool _disposed;

    /// <param name="options">What to serve and where to keep it.</param>
    /// <param name="http">The client packages are downloaded with (owned by the caller).</param>
    /// <param name="logger">The host's log; the token is never written to it.</param>
    /// <param name="time">The clock of the retry back-off and the dev-folder debounce.</param>
    public BundleHost(BundleHostOptions options, HttpClient http, ILogger<BundleHost> logger, TimeProvider time)
        : this(options, http, logger, time, cache => new WorkerEngine(cache, SandboxOf(options), options.Workers, logger, time))
    {
    }

    /// <summary>A host whose script and plug-in commands run in the engine <paramref name="code"/> creates over the
    /// compiled-script cache: the relay benchmark's baseline runs them in its own process, without workers.</summary>
    internal BundleHost(BundleHostOptions options, HttpClient http, ILogger<BundleHost> logger, TimeProvider time, Func<CompiledScripts, IBundleCodeEngine> code)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(options.RelayId);
        ArgumentException.ThrowIfNullOrEmpty(options.CacheDirectory);
        if (options.ServerOrigin is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("The server origin must be an absolute http(s) URL.", nameof(options));
        }
        _options = options;
        _logger = logger;
        _time = time;
        // No jitter: the protocol states this retry as 1 s doubling to 5 minutes (docs/protocol.md §7).
        _retry = Backoff.Pipeline<ReadyAttempt>("cog.relay.bundle",
            new BackoffOptions { Delay = options.FirstRetryDelay, MaxDelay = options.MaxRetryDelay, UseJitter = false }, time,
            static args => args.Outcome.Result.Error is not null,
            args =>
            {
                var (assignment, error) = args.Outcome.Result;
                BundleLog.Failed(logger, assignment.Name, assignment.Version, args.RetryDelay, error!);
                return ValueTask.CompletedTask;
            });
        var cache = Path.GetFullPath(options.CacheDirectory);
        _packages = new PackageCache(Path.Combine(cache, "packages"), options, http, logger);
        _scripts = new CompiledScripts(Path.Combine(cache, "scripts"));
        _code = code(_scripts);
        var sandbox = SandboxOf(options);
        Isolation = sandbox.Report;
        _executables = new ExecutableEngine(sandbox);
        _containers = options.Containers is { } containers ? new ContainerEngine(containers) : null;
        // Unpacked folders and dev snapshots are derived from verified packages: a new process starts them afresh.
        _bundlesDirectory = FreshDirectory(Path.Combine(cache, "bundles"));
        _devSnapshots = FreshDirectory(Path.Combine(cache, "dev"));
    }

    /// <inheritdoc/>
    public BundleSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The sandbox every process of bundle code starts in: worker processes and executables.</summary>
    static ISandbox SandboxOf(BundleHostOptions options) =>
        options?.Sandbox ?? throw new ArgumentException("The options name no sandbox.", nameof(options));

    /// <inheritdoc/>
    public IsolationReport Isolation { get; }

    /// <inheritdoc/>
    public event EventHandler<BundleSnapshot>? Changed;

    /// <summary>The worker pools of the loaded versions (tests watch workers through it); only a host whose scripts
    /// and plug-ins run in workers has them.</summary>
    internal WorkerEngine Workers => _code as WorkerEngine ?? throw new InvalidOperationException("This bundle host runs its scripts and plug-ins without workers.");

    /// <summary>The compiled scripts (tests count compilations through it).</summary>
    internal CompiledScripts Scripts => _scripts;

    /// <summary>How many packages were downloaded since the host was created.</summary>
    internal int Downloads => _packages.Downloads;

    /// <summary>The background script compiler warm-up started by <see cref="StartAsync"/>.</summary>
    internal Task WarmUp => _warmUp;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The bundle host was already started.");
            }
            _started = true;
        }
        if (_options.WarmUpScripts)
        {
            _warmUp = WarmUpAsync();
        }
        if (_options.DevDirectory is { } dev)
        {
            // In dev mode the next edit of a script is a compile: serving the folder (and announcing it) only once the
            // compiler is warm keeps the first edit after a start as fast as the others, for a start that is slower
            // by the warm-up (its failure is logged and does not hold the start).
            await _warmUp.WaitAsync(cancellationToken).ConfigureAwait(false);
            await Task.Run(() => StartDev(dev), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task ApplyAsync(BundleAssignments assignments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var firstAttempts = new List<Task>(assignments.Bundles.Length);
        var retired = new List<HostedVersion>();
        HashSet<string> keep;
        bool changed;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (assignments.Revision < _revision)
            {
                BundleLog.OldRevision(_logger, assignments.Revision, _revision);
                return;
            }
            _revision = assignments.Revision;
            var wanted = new Dictionary<(string, string), BundleAssignment>();
            foreach (var assignment in assignments.Bundles)
            {
                wanted[(assignment.Name, assignment.Version)] = assignment;
            }
            foreach (var (key, entry) in _assigned.ToArray())
            {
                if (!wanted.TryGetValue(key, out var assignment)
                    || assignment.Digest != entry.Assignment.Digest || assignment.PackageFormat != entry.Assignment.PackageFormat)
                {
                    _assigned.Remove(key);
                    entry.Stop();
                    if (entry.Hosted is { } hosted)
                    {
                        retired.Add(hosted);
                    }
                }
            }
            foreach (var (key, assignment) in wanted)
            {
                if (_assigned.TryGetValue(key, out var entry))
                {
                    entry.Assignment = assignment;
                    firstAttempts.Add(entry.FirstAttempt.Task);
                    continue;
                }
                entry = new AssignedBundle(assignment, _stopping.Token);
                _assigned[key] = entry;
                firstAttempts.Add(entry.FirstAttempt.Task);
                entry.Worker = Task.Run(() => RunAsync(entry), CancellationToken.None);
            }
            keep = [.. wanted.Values.Select(a => a.Digest)];
            changed = Rebuild();
        }
        foreach (var hosted in retired)
        {
            BundleLog.Retired(_logger, hosted.Bundle.Name, hosted.Bundle.Version);
            hosted.Retire();
        }
        _packages.Prune(keep);
        if (changed)
        {
            Raise();
        }
        await Task.WhenAll(firstAttempts).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public BundleLease? TryAcquire(string bundle, string version)
    {
        while (true)
        {
            var ready = Volatile.Read(ref _ready);
            if (!ready.TryGetValue((bundle, version), out var hosted))
            {
                return null;
            }
            if (hosted.TryAcquire() is { } lease)
            {
                return lease;
            }
            // Retired between the lookup and the lease: a replacement (dev reload) may already be in the new table.
            if (ReferenceEquals(ready, Volatile.Read(ref _ready)))
            {
                return null;
            }
        }
    }

    /// <inheritdoc/>
    public ICommandEngine EngineFor(ReadyBundle bundle, CommandKind kind) => kind switch
    {
        // A Docker bundle is ready only on a relay with a container engine (DockerRefusalAsync).
        CommandKind.Executable when bundle.Manifest.Docker is not null =>
            _containers ?? throw new InvalidOperationException($"The Docker bundle '{bundle.Name}' is ready on a relay without a container engine."),
        CommandKind.Executable => _executables,
        CommandKind.Script or CommandKind.Type => _code,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown command kind."),
    };

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        List<HostedVersion> hosted = [];
        List<Task> workers = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var entry in _assigned.Values)
            {
                entry.Stop();
                workers.Add(entry.Worker);
                if (entry.Hosted is { } version)
                {
                    hosted.Add(version);
                }
            }
            _assigned.Clear();
            StopDevLocked(hosted);
            Rebuild();
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        DisposeDevWatcher();
        await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _warmUp.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var version in hosted)
        {
            version.Retire();
        }
        await _code.DisposeAsync().ConfigureAwait(false);
        _containers?.Dispose();
        _stopping.Dispose();
    }

    async Task WarmUpAsync()
    {
        var started = _time.GetTimestamp();
        try
        {
            await _scripts.WarmUpAsync(_stopping.Token).ConfigureAwait(false);
            BundleLog.WarmedUp(_logger, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The warm-up only saves time: its failure must not take the relay down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            BundleLog.WarmUpFailed(_logger, e);
        }
    }

    /// <summary>Makes one assigned version ready, retrying with back-off until it is, or it is no longer assigned.</summary>
    async Task RunAsync(AssignedBundle entry)
    {
        var token = entry.Stopping;
        try
        {
            await _retry.ExecuteAsync(static (state, token) => state.Host.TryMakeReadyAsync(state.Entry, token), (Host: this, Entry: entry), token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // No longer assigned, or the host stops.
        }
        finally
        {
            lock (_gate)
            {
                entry.Done();
            }
        }
    }

    /// <summary>One attempt at making <paramref name="entry"/>'s version ready; its failure is announced at once.</summary>
    /// <returns>The error to retry on, or none: the version is ready, or no longer assigned.</returns>
    async ValueTask<ReadyAttempt> TryMakeReadyAsync(AssignedBundle entry, CancellationToken token)
    {
        BundleAssignment assignment;
        lock (_gate)
        {
            assignment = entry.Assignment;
            if (DevServesLocked(assignment))
            {
                // The server assigns the dev versions this relay announced: the dev folder already serves this very
                // content, so there is nothing to download (its package holds the folder's own version).
                entry.Failure = null;
                entry.FirstAttempt.TrySetResult();
                return new ReadyAttempt(assignment, null);
            }
        }
        HostedVersion? hosted;
        string? error;
        try
        {
            (hosted, error) = await MakeReadyAsync(assignment, token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A relay bug in one version's preparation is announced as its failure (and retried), never lost.
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
#pragma warning restore CA1031
        {
            (hosted, error) = (null, BundleErrors.Unexpected(e.GetType().Name, e.Message));
        }
        bool assigned, changed = false;
        lock (_gate)
        {
            assigned = !_disposed && _assigned.TryGetValue((assignment.Name, assignment.Version), out var current) && current == entry;
            if (assigned)
            {
                entry.Hosted = hosted;
                entry.Failure = error;
                changed = Rebuild();
            }
        }
        if (!assigned)
        {
            hosted?.Retire();
            return new ReadyAttempt(assignment, null);
        }
        // Announced before the first attempt is reported done: whoever awaited it (ApplyAsync) finds it raised.
        if (changed)
        {
            Raise();
        }
        entry.FirstAttempt.TrySetResult();
        if (hosted is not null)
        {
            BundleLog.Ready(_logger, assignment.Name, assignment.Version, assignment.Digest, "assigned");
        }
        return new ReadyAttempt(assignment, error);
    }

    /// <summary>What one attempt of <see cref="TryMakeReadyAsync"/> made of <paramref name="Assignment"/>: the error to
    /// retry on, or none.</summary>
    readonly record struct ReadyAttempt(BundleAssignment Assignment, string? Error);

    /// <summary>Takes the verified package, unpacks it into a new folder and loads it.</summary>
    /// <returns>The ready version, or why it is not.</returns>
    async Task<(HostedVersion? Hosted, string? Error)> MakeReadyAsync(BundleAssignment assignment, CancellationToken cancellationToken)
    {
        var (package, error) = await _packages.GetAsync(assignment, cancellationToken).ConfigureAwait(false);
        if (package is null)
        {
            return (null, error);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var folder = NewFolder(_bundlesDirectory, assignment.Name, assignment.Version, assignment.Digest);
        PackageResult unpacked;
        try
        {
            using var stream = new FileStream(package, FileMode.Open, FileAccess.Read, FileShare.Read);
            unpacked = assignment.PackageFormat == PackageFormat.Manifest
                ? BundlePackage.ExtractManifest(stream, assignment.Digest, folder, _options.Limits)
                : BundlePackage.Extract(stream, assignment.Digest, folder, _options.Limits);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, BundleErrors.CacheFailed(e.Message));
        }
        if (!unpacked.Succeeded)
        {
            return (null, unpacked.Error == PackageErrors.InvalidManifest ? BundleErrors.InvalidManifest(Relative(unpacked.ManifestErrors, null)) : unpacked.Error);
        }
        var manifest = unpacked.Contents.Manifest;
        var mismatch = manifest.Name != assignment.Name || manifest.Version != assignment.Version
            ? BundleErrors.WrongBundle(assignment.Name, assignment.Version, manifest.Name, manifest.Version)
            : manifest.ManifestVersion != assignment.ManifestVersion
                ? BundleErrors.WrongManifestVersion(assignment.ManifestVersion, manifest.ManifestVersion)
                : null;
        if ((mismatch ?? await DockerRefusalAsync(manifest, cancellationToken).ConfigureAwait(false)) is { } refusal)
        {
            DeleteFolder(folder);
            return (null, refusal);
        }
        return (Host(new ReadyBundle(manifest.Name, manifest.Version, assignment.Digest, manifest, folder), ownsFolder: true), null);
    }

    /// <summary>Why this relay does not run the Docker bundle <paramref name="manifest"/>, or <see langword="null"/> when
    /// it is no Docker bundle or its image is ready on the container engine. Without an engine the bundle is refused:
    /// its executables are paths inside the image, never run on this host.</summary>
    async Task<string?> DockerRefusalAsync(BundleManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Docker is not { } image)
        {
            return null;
        }
        if (_containers is null)
        {
            return ContainerErrors.NoEngine(manifest.Name, image.Image + ":" + image.Tag);
        }
        return await _containers.PrepareAsync(manifest.Name, image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a ready version's workers and wraps it with its unload action.</summary>
    /// <param name="ownsFolder">Whether the folder is the host's (an unpacked package or a dev snapshot, deleted at
    /// unload) rather than the developer's own dev folder.</param>
    /// <remarks>Workers are per folder: two builds of one version (dev mode) are two folders, so a rebuilt plug-in
    /// assembly runs in new workers while the old build's workers finish their invocations. A reload of the dev folder
    /// itself (scripts only) keeps its workers: the pool counts the versions that use it.</remarks>
    HostedVersion Host(ReadyBundle bundle, bool ownsFolder)
    {
        _code.Load(bundle.Name, bundle.Directory, bundle.Manifest.Assembly);
        return new HostedVersion(bundle, () =>
        {
            _code.Unload(bundle.Directory);
            if (ownsFolder)
            {
                DeleteFolder(bundle.Directory);
            }
            BundleLog.Unloaded(_logger, bundle.Name, bundle.Version);
        });
    }

    /// <summary>Recomputes the ready table and <see cref="Current"/> (call under the lock).</summary>
    /// <returns>Whether <see cref="Current"/> changed.</returns>
    bool Rebuild()
    {
        var ready = new Dictionary<(string Name, string Version), HostedVersion>();
        var failures = new List<BundleFailure>();
        AddDevLocked(ready, failures);
        foreach (var (key, entry) in _assigned)
        {
            if (ready.ContainsKey(key))
            {
                continue; // Served from the dev folder.
            }
            if (entry.Hosted is { } hosted)
            {
                ready[key] = hosted;
            }
            else if (entry.Failure is { } failure)
            {
                failures.Add(new BundleFailure(key.Name, key.Version, failure));
            }
        }
        var bundles = new List<ReadyBundle>(ready.Count);
        foreach (var hosted in ready.Values)
        {
            bundles.Add(hosted.Bundle);
        }
        bundles.Sort(static (a, b) => Compare(a.Name, a.Version, b.Name, b.Version));
        failures.Sort(static (a, b) => Compare(a.Name, a.Version, b.Name, b.Version));
        Volatile.Write(ref _ready, ready);
        var current = _current;
        if (current.Ready.SequenceEqual(bundles) && current.Failures.SequenceEqual(failures))
        {
            return false;
        }
        Volatile.Write(ref _current, new BundleSnapshot([.. bundles], [.. failures]));
        return true;
    }

    static int Compare(string name1, string version1, string name2, string version2)
    {
        var byName = string.CompareOrdinal(name1, name2);
        return byName != 0 ? byName : string.CompareOrdinal(version1, version2);
    }

    /// <summary>Raises <see cref="Changed"/> with the latest snapshot; serialized, so the last raised is the latest.</summary>
    void Raise()
    {
        lock (_raiseGate)
        {
            try
            {
                Changed?.Invoke(this, Current);
            }
#pragma warning disable CA1031 // A subscriber's bug must not stop bundle management.
            catch (Exception e)
#pragma warning restore CA1031
            {
                BundleLog.HandlerFailed(_logger, e);
            }
        }
    }

    /// <summary>A new folder path under <paramref name="parent"/> for one version and digest (unique in this process).</summary>
    string NewFolder(string parent, string name, string version, string digest)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..Math.Min(digest.Length, 19)] : "";
        return Path.Combine(parent, $"{Safe(name)}-{Safe(version)}-{hex}-{Interlocked.Increment(ref _folders)}");
    }

    static string Safe(string text)
    {
        var chars = new char[Math.Min(text.Length, 48)];
        for (var i = 0; i < chars.Length; i++)
        {
            var c = text[i];
            chars[i] = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_';
        }
        return chars.Length > 0 && chars[0] == '.' ? "_" + new string(chars, 1, chars.Length - 1) : new string(chars);
    }

    /// <summary>Manifest errors with the file named relative to <paramref name="root"/> (the unpack folder's temporary
    /// name means nothing to an operator: just <c>config.yaml</c> then).</summary>
    static ImmutableArray<ManifestError> Relative(ImmutableArray<ManifestError> errors, string? root)
    {
        if (errors.IsDefault)
        {
            return [];
        }
        var builder = ImmutableArray.CreateBuilder<ManifestError>(errors.Length);
        foreach (var error in errors)
        {
            var file = root is null ? Path.GetFileName(error.File) : Path.GetRelativePath(root, error.File).Replace('\\', '/');
            builder.Add(error with { File = file });
        }
        return builder.MoveToImmutable();
    }

    static string FreshDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        Directory.CreateDirectory(path);
        return path;
    }

    void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            BundleLog.DeleteFailed(_logger, folder, e.Message);
        }
    }
}
