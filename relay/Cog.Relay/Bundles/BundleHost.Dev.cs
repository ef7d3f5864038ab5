using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Manifest.Packages;

namespace Cog.Relay.Bundles;

/// <summary>Dev mode: the bundles of a local folder, served as they are and reloaded when their files change.</summary>
/// <remarks>
/// <para>Every subfolder of the dev folder holding a manifest is a bundle (or the dev folder itself, when it holds
/// one). Its digest is the digest of the package <see cref="BundlePackage.Create"/> would build from it, and it is
/// announced under its dev version (<see cref="DevVersions.Of"/>: the manifest's version and that digest), so a server
/// that installs the same folder sees the same version and digest, and every change is a new version. A manifest error
/// is announced as a failure with its located messages.</para>
/// <para>A file system watcher reloads a bundle once its folder has been quiet for
/// <see cref="BundleHostOptions.DevReloadDelay"/>. Scripts and executables run straight from the folder (the script
/// stamps are checked at every invocation). A bundle with a plug-in assembly runs from a snapshot: the package built in
/// memory is unpacked into a fresh folder per change, so a worker never reads a half-written file; the new build runs
/// in new workers and the previous build's workers are closed once its last invocation ends.</para>
/// </remarks>
sealed partial class BundleHost
{
    /// <summary>The reload key meaning "rescan the whole dev folder".</summary>
    const string AllFolders = "*";

    readonly string _devSnapshots;
    readonly Dictionary<string, DevEntry> _dev = new(StringComparer.Ordinal);
    readonly Lock _devTimersGate = new();
    readonly Dictionary<string, ITimer> _devTimers = new(StringComparer.Ordinal);
    readonly Lock _devReloadGate = new();
    FileSystemWatcher? _watcher;
    string? _devRoot;
    bool _devStopped;

    void StartDev(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        Directory.CreateDirectory(root);
        _devRoot = root;
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => ScheduleDevReload(e.FullPath);
        watcher.Created += (_, e) => ScheduleDevReload(e.FullPath);
        watcher.Deleted += (_, e) => ScheduleDevReload(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            ScheduleDevReload(e.OldFullPath);
            ScheduleDevReload(e.FullPath);
        };
        watcher.Error += (_, e) =>
        {
            BundleLog.WatcherFailed(_logger, e.GetException(), root);
            ScheduleDevReloadOf(AllFolders);
        };
        lock (_devTimersGate)
        {
            if (_devStopped)
            {
                watcher.Dispose();
                return;
            }
            _watcher = watcher;
        }
        watcher.EnableRaisingEvents = true;
        lock (_devReloadGate)
        {
            ReloadAllDev(root);
        }
    }

    void ScheduleDevReload(string path)
    {
        if (DevKeyOf(path) is { } key)
        {
            ScheduleDevReloadOf(key);
        }
    }

    /// <summary>(Re)starts the quiet-period timer of one bundle folder (or of the whole dev folder).</summary>
    void ScheduleDevReloadOf(string key)
    {
        lock (_devTimersGate)
        {
            if (_devStopped)
            {
                return;
            }
            if (!_devTimers.TryGetValue(key, out var timer))
            {
                timer = _time.CreateTimer(_ => ReloadDev(key), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _devTimers[key] = timer;
            }
            timer.Change(_options.DevReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The bundle folder a changed path belongs to, <see cref="AllFolders"/> when the change may add or remove
    /// bundles, or <see langword="null"/> to ignore it.</summary>
    string? DevKeyOf(string path)
    {
        var root = _devRoot!;
        var relative = Path.GetRelativePath(root, path);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return AllFolders;
        }
        if (HasManifest(root))
        {
            return root;
        }
        var separator = relative.IndexOfAny(['/', '\\']);
        var first = separator < 0 ? relative : relative[..separator];
        if (first.StartsWith('.'))
        {
            return null;
        }
        var folder = Path.Combine(root, first);
        // A file directly in the dev folder (a manifest written there turns the folder itself into the bundle).
        return separator < 0 && !Directory.Exists(folder) && !IsDevKey(folder) ? AllFolders : folder;
    }

    bool IsDevKey(string folder)
    {
        lock (_gate)
        {
            return _dev.ContainsKey(folder);
        }
    }

    void ReloadDev(string key)
    {
        try
        {
            lock (_devReloadGate)
            {
                if (_devStopped || _devRoot is not { } root)
                {
                    return;
                }
                if (key == AllFolders)
                {
                    ReloadAllDev(root);
                }
                else
                {
                    ReloadDevFolder(root, key);
                }
            }
        }
#pragma warning disable CA1031 // A timer callback that throws would end the relay process; a dev reload must never do that.
        catch (Exception e)
#pragma warning restore CA1031
        {
            BundleLog.DevFailed(_logger, key, e.Message);
        }
    }

    void ReloadAllDev(string root)
    {
        string[] known;
        lock (_gate)
        {
            known = [.. _dev.Keys];
        }
        var folders = DevFolders(root);
        foreach (var folder in known)
        {
            if (!folders.Contains(folder))
            {
                RemoveDev(folder);
            }
        }
        foreach (var folder in folders)
        {
            ReloadDevFolder(root, folder);
        }
    }

    static List<string> DevFolders(string root)
    {
        if (HasManifest(root))
        {
            return [root];
        }
        var folders = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            if (!Path.GetFileName(folder).StartsWith('.') && HasManifest(folder))
            {
                folders.Add(Path.TrimEndingDirectorySeparator(folder));
            }
        }
        folders.Sort(StringComparer.Ordinal);
        return folders;
    }

    static bool IsDevBundleFolder(string root, string folder) =>
        folder == root
            ? HasManifest(root)
            : Path.GetDirectoryName(folder) == root && !HasManifest(root) && !Path.GetFileName(folder).StartsWith('.') && HasManifest(folder);

    static bool HasManifest(string folder)
    {
        foreach (var name in ManifestLoader.FileNames)
        {
            if (File.Exists(Path.Combine(folder, name)))
            {
                return true;
            }
        }
        return false;
    }

    void ReloadDevFolder(string root, string folder)
    {
        if (!IsDevBundleFolder(root, folder))
        {
            RemoveDev(folder);
            return;
        }
        DevEntry? previous;
        lock (_gate)
        {
            _dev.TryGetValue(folder, out previous);
        }
        var (hosted, failure) = LoadDev(root, folder, previous?.Hosted);
        if (hosted is not null && ReferenceEquals(hosted, previous?.Hosted))
        {
            return; // Nothing that a package would carry changed (a build touched obj/, an editor's backup file...).
        }
        HostedVersion? replaced = null;
        HostedVersion? refused = null;
        bool changed;
        lock (_gate)
        {
            if (_disposed)
            {
                refused = hosted;
                hosted = null;
                changed = false;
            }
            else
            {
                if (hosted is not null && DevFolderServing(hosted.Bundle.Name, hosted.Bundle.Manifest.Version, folder) is { } other)
                {
                    var manifestVersion = hosted.Bundle.Manifest.Version;
                    failure = new BundleFailure(hosted.Bundle.Name, manifestVersion, BundleErrors.DevDuplicate(hosted.Bundle.Name, manifestVersion, other));
                    refused = hosted;
                    hosted = null;
                }
                replaced = _dev.TryGetValue(folder, out var current) ? current.Hosted : null;
                _dev[folder] = new DevEntry(hosted, failure);
                changed = Rebuild();
            }
        }
        refused?.Retire();
        replaced?.Retire();
        if (hosted is not null)
        {
            BundleLog.Ready(_logger, hosted.Bundle.Name, hosted.Bundle.Version, hosted.Bundle.Digest, "dev folder " + folder);
        }
        else if (failure is not null)
        {
            BundleLog.DevFailed(_logger, folder, failure.Message);
        }
        if (changed)
        {
            Raise();
        }
    }

    /// <summary>Builds the package of a dev folder in memory: its digest and manifest, and for a plug-in bundle a fresh
    /// snapshot folder unpacked from it.</summary>
    /// <returns>The previous version when nothing changed, a new version, or the failure.</returns>
    (HostedVersion? Hosted, BundleFailure? Failure) LoadDev(string root, string folder, HostedVersion? previous)
    {
        BundleFailure Failure(string message) =>
            new(previous?.Bundle.Name ?? Path.GetFileName(folder), previous?.Bundle.Manifest.Version ?? "", message);

        using var package = new MemoryStream();
        var built = BundlePackage.Create(folder, package);
        if (!built.Succeeded)
        {
            return (null, Failure(built.Error == PackageErrors.InvalidManifest ? BundleErrors.InvalidManifest(Relative(built.ManifestErrors, root)) : built.Error));
        }
        var (manifest, digest) = (built.Contents.Manifest, built.Contents.Digest);
        if (manifest.Commands.Any(static c => c.Kind == CommandKind.BuiltIn))
        {
            // The built-in operable bundle runs in the server; a dev folder holding it (bundles/) serves the rest.
            BundleLog.DevSkippedBuiltIn(_logger, folder, manifest.Name);
            return (null, null);
        }
        if (previous is not null && previous.Bundle.Digest == digest && !previous.IsRetired)
        {
            return (previous, null);
        }
        // Dev loads run on the dev folder's own background thread: waiting for the engine here blocks no invocation.
        if (DockerRefusalAsync(manifest, _stopping.Token).GetAwaiter().GetResult() is { } refusal)
        {
            return (null, new BundleFailure(manifest.Name, manifest.Version, refusal));
        }
        // Announced under its dev version, which names this content: the server installs the folder's content under
        // the same name and routes an invocation here only while this is what the relay holds.
        var version = DevVersions.Of(manifest.Version, digest);
        if (manifest.Assembly is null)
        {
            return (Host(new ReadyBundle(manifest.Name, version, digest, manifest, folder), ownsFolder: false), null);
        }
        var snapshot = NewFolder(_devSnapshots, manifest.Name, manifest.Version, digest);
        package.Position = 0;
        var unpacked = BundlePackage.Extract(package, digest, snapshot, _options.Limits);
        if (!unpacked.Succeeded)
        {
            return (null, Failure(unpacked.Error == PackageErrors.InvalidManifest ? BundleErrors.InvalidManifest(Relative(unpacked.ManifestErrors, null)) : unpacked.Error));
        }
        return (Host(new ReadyBundle(manifest.Name, version, digest, unpacked.Contents.Manifest, snapshot), ownsFolder: true), null);
    }

    void RemoveDev(string folder)
    {
        HostedVersion? removed;
        bool changed;
        lock (_gate)
        {
            if (!_dev.Remove(folder, out var entry))
            {
                return;
            }
            removed = entry.Hosted;
            changed = Rebuild();
        }
        removed?.Retire();
        if (changed)
        {
            Raise();
        }
    }

    /// <summary>The other dev folder serving <paramref name="name"/> at manifest version <paramref name="version"/>
    /// (call under the lock).</summary>
    string? DevFolderServing(string name, string version, string except)
    {
        foreach (var (folder, entry) in _dev)
        {
            if (folder != except && entry.Hosted?.Bundle is { } bundle && bundle.Name == name && bundle.Manifest.Version == version)
            {
                return folder;
            }
        }
        return null;
    }

    /// <summary>Whether the dev folder serves <paramref name="assignment"/>'s version with its digest (call under the
    /// lock).</summary>
    bool DevServesLocked(BundleAssignment assignment) =>
        _dev.Values.Any(entry => entry.Hosted?.Bundle is { } bundle
            && bundle.Name == assignment.Name && bundle.Version == assignment.Version && bundle.Digest == assignment.Digest);

    /// <summary>Adds the dev bundles to a ready table being rebuilt (call under the lock).</summary>
    void AddDevLocked(Dictionary<(string Name, string Version), HostedVersion> ready, List<BundleFailure> failures)
    {
        foreach (var entry in _dev.Values)
        {
            if (entry.Hosted is { } hosted)
            {
                ready[(hosted.Bundle.Name, hosted.Bundle.Version)] = hosted;
            }
            else if (entry.Failure is { } failure)
            {
                failures.Add(failure);
            }
        }
    }

    /// <summary>Empties the dev table at disposal, collecting its versions to retire (call under the lock).</summary>
    void StopDevLocked(List<HostedVersion> hosted)
    {
        foreach (var entry in _dev.Values)
        {
            if (entry.Hosted is { } version)
            {
                hosted.Add(version);
            }
        }
        _dev.Clear();
    }

    void DisposeDevWatcher()
    {
        lock (_devTimersGate)
        {
            _devStopped = true;
            _watcher?.Dispose();
            _watcher = null;
            foreach (var timer in _devTimers.Values)
            {
                timer.Dispose();
            }
            _devTimers.Clear();
        }
        // Waits for a reload in progress, which sees _devStopped or _disposed and keeps nothing.
        lock (_devReloadGate)
        {
        }
    }

    /// <summary>One dev folder: the version it serves, or why it serves none.</summary>
    sealed record DevEntry(HostedVersion? Hosted, BundleFailure? Failure);
}
