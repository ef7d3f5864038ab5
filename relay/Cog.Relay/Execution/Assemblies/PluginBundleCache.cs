using Cog.Manifest;

namespace Cog.Relay.Execution.Assemblies;

/// <summary>
/// The plugin-assembly bundle versions a relay serves, by bundle name and version: one unloadable plug-in loader per
/// version, so a new version can be loaded and the old one unloaded while the relay keeps running.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Load(string, string, string, string?)"/> only registers a version: its assembly is loaded on
/// the first invocation. <see cref="Unload"/> takes a version out of service at once; its load context is unloaded when
/// its last running invocation ends (a command that never returns keeps it loaded: in-process code cannot be killed).
/// </remarks>
sealed class PluginBundleCache : IDisposable
{
    readonly Lock _gate = new();
    readonly Dictionary<(string Name, string Version), PluginBundle> _bundles = [];

    /// <summary>Registers a bundle version unpacked in <paramref name="directory"/>, with the plugin assembly at
    /// <paramref name="assembly"/> (relative to it). Loading the same version from another folder replaces it.</summary>
    /// <returns>The registered version (the existing one if it was already registered from the same folder).</returns>
    public PluginBundle Load(string bundle, string version, string directory, string? assembly)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundle);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var fullDirectory = FullDirectory(directory);
        PluginBundle? replaced = null;
        PluginBundle added;
        lock (_gate)
        {
            if (_bundles.TryGetValue((bundle, version), out var existing))
            {
                if (existing.Directory == fullDirectory && existing.Assembly == assembly)
                {
                    return existing;
                }
                replaced = existing;
            }
            added = new PluginBundle(bundle, version, fullDirectory, assembly);
            _bundles[(bundle, version)] = added;
        }
        replaced?.Retire();
        return added;
    }

    /// <summary>Registers the bundle version described by <paramref name="manifest"/>, unpacked in <paramref name="directory"/>.</summary>
    public PluginBundle Load(BundleManifest manifest, string directory)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Load(manifest.Name, manifest.Version, directory, manifest.Assembly);
    }

    /// <summary>Takes a bundle version out of service; its load context is unloaded once no invocation of it runs.</summary>
    /// <returns>Whether the version was registered.</returns>
    public bool Unload(string bundle, string version)
    {
        PluginBundle? removed;
        lock (_gate)
        {
            if (!_bundles.Remove((bundle, version), out removed))
            {
                return false;
            }
        }
        removed.Retire();
        return true;
    }

    /// <summary>The registered version of <paramref name="bundle"/> unpacked in <paramref name="directory"/>, counted as
    /// running one more invocation (end it with <see cref="PluginBundle.Exit"/>); <see langword="null"/> if none is.</summary>
    public PluginBundle? Enter(string bundle, string directory)
    {
        var fullDirectory = FullDirectory(directory);
        lock (_gate)
        {
            foreach (var ((name, _), candidate) in _bundles)
            {
                if (name == bundle && candidate.Directory == fullDirectory && candidate.TryEnter())
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>The registered version, or <see langword="null"/>.</summary>
    public PluginBundle? Find(string bundle, string version)
    {
        lock (_gate)
        {
            return _bundles.GetValueOrDefault((bundle, version));
        }
    }

    /// <summary>Unloads every version (each once its running invocations end).</summary>
    public void Dispose()
    {
        PluginBundle[] all;
        lock (_gate)
        {
            all = [.. _bundles.Values];
            _bundles.Clear();
        }
        foreach (var bundle in all)
        {
            bundle.Retire();
        }
    }

    static string FullDirectory(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
}
