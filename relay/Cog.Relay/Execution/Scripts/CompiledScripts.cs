using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Runtime.InteropServices;
using System.Reflection.PortableExecutable;

namespace Cog.Relay.Execution.Scripts;

/// <summary>
/// The relay's compiled <c>script:</c> commands: each C# script (<c>.csx</c>) in a bundle folder compiled with Roslyn
/// scripting against <see cref="Cog.Sdk.ScriptGlobals"/> and checked for forbidden APIs (<see cref="ScriptDiagnostics"/>),
/// as an assembly image the workers load and run. The relay never runs a script itself.
/// </summary>
/// <remarks>
/// <para>Compiled once per content: the key is a SHA-256 of the script's path and text, the SDK's identity and the
/// compiler settings (<see cref="ScriptCompiler.CacheKey"/>). Concurrent first invocations share one compilation. The
/// image is kept in memory, sent to each worker once, and written to <c>&lt;cache&gt;/&lt;key&gt;.dll</c>, so a new
/// relay process loads it without compiling. Compile errors are cached in memory only.</para>
/// <para>The script file's modification time and length are checked on every invocation and the file is read again
/// when either changed, so an edited script runs its new content at the next invocation (dev mode) while an unchanged
/// one costs one stat; the latest version per file is kept and the previous one dropped.</para>
/// <para>Thread-safe.</para>
/// </remarks>
sealed class CompiledScripts
{
    /// <summary>What <see cref="WarmUpAsync"/> compiles: it touches the globals, LINQ and the JSON output path.</summary>
    const string WarmUpScript = "return new[] { Args.Count }.Select(n => new { n, text = Options.Has(\"x\") }).ToList();";

    readonly string _cacheDirectory;
    readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _scripts = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> _latestByPath = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (FileStamp Stamp, string Key)> _stamps = new(StringComparer.Ordinal);
    int _compilations;
    int _cacheLoads;

    /// <param name="cacheDirectory">Where compiled scripts are kept across restarts (created if missing). Relays may
    /// share it: files are written whole, under a name derived from their content.</param>
    public CompiledScripts(string cacheDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        Directory.CreateDirectory(_cacheDirectory);
    }

    /// <summary>How many times the compiler ran (tests prove cache hits with it).</summary>
    public int Compilations => Volatile.Read(ref _compilations);

    /// <summary>How many compiled scripts were loaded from the disk cache.</summary>
    public int CacheLoads => Volatile.Read(ref _cacheLoads);

    /// <summary>The cache keys of the script versions held in memory.</summary>
    internal ICollection<string> CachedKeys => _scripts.Keys;

    /// <summary>The compiled image of the script an invocation runs, or the error message that fails the invocation
    /// (not found, outside the bundle, compile errors).</summary>
    /// <exception cref="OperationCanceledException">The token fired before the script was compiled.</exception>
    public async Task<(ScriptImage? Image, string? Error)> GetAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var file = DisplayPath(invocation.Command.Target);
        var bundle = Path.GetFullPath(invocation.BundleDirectory);
        var path = Path.GetFullPath(Path.Combine(bundle, file));
        var relative = Path.GetRelativePath(bundle, path);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (null, ScriptErrors.OutsideBundle(file));
        }
        if (FileStamp.Of(path) is not { } stamp)
        {
            return (null, ScriptErrors.NotFound(file));
        }
        Entry entry;
        try
        {
            entry = await GetAsync(file, path, stamp, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, ScriptErrors.NotFound(file));
        }
        return entry.Image is null ? (null, ScriptErrors.CompileFailed(entry.Diagnostics)) : (new ScriptImage(entry.Key, entry.Image), null);
    }

    /// <summary>Compiles (or loads from the disk cache) the script at <paramref name="file"/> with <paramref name="code"/>,
    /// without running it: its errors, empty when it is ready to run.</summary>
    public async Task<ImmutableArray<ScriptDiagnostic>> PrepareAsync(string file, string code, CancellationToken cancellationToken)
    {
        var entry = await GetAsync(DisplayPath(file), null, code).WaitAsync(cancellationToken).ConfigureAwait(false);
        return entry.Diagnostics;
    }

    /// <summary>Compiles a tiny script against the same globals, references and checks as every script, without
    /// caching it anywhere: the first compile in a process pays for loading and jitting the compiler (seconds), so a
    /// relay calls this in the background at start-up and the first real script compiles fast.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        Task.Run(() => ScriptCompiler.Compile(WarmUpScript, "warm-up.csx", cancellationToken), cancellationToken);

    /// <summary>Forgets the scripts of the bundle folder <paramref name="bundleDirectory"/> (a bundle version that was
    /// unloaded). A version the same script text has in another folder stays.</summary>
    public void Forget(string bundleDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundleDirectory);
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundleDirectory)) + Path.DirectorySeparatorChar;
        foreach (var path in _stamps.Keys)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                _stamps.TryRemove(path, out _);
            }
        }
        foreach (var (path, key) in _latestByPath)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal) && _latestByPath.TryRemove(KeyValuePair.Create(path, key)) && !IsLatestAnywhere(key))
            {
                _scripts.TryRemove(key, out _);
            }
        }
    }

    bool IsLatestAnywhere(string key)
    {
        foreach (var (_, latest) in _latestByPath)
        {
            if (latest == key)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The entry for the script file at <paramref name="path"/>: when the file has not changed since it was last
    /// read (same modification time and length), the entry of that content without reading the file again; otherwise
    /// the file is read and its content looked up (or compiled).</summary>
    async Task<Entry> GetAsync(string file, string path, FileStamp stamp, CancellationToken cancellationToken)
    {
        if (_stamps.TryGetValue(path, out var known) && known.Stamp == stamp && _scripts.TryGetValue(known.Key, out var cached)
            && cached.IsValueCreated && cached.Value.IsCompletedSuccessfully)
        {
            return await cached.Value.ConfigureAwait(false);
        }
        var code = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var entry = await GetAsync(file, path, code).ConfigureAwait(false);
        _stamps[path] = (stamp, entry.Key);
        return entry;
    }

    async Task<Entry> GetAsync(string file, string? path, string code)
    {
        var key = ScriptCompiler.CacheKey(file, code);
        var lazy = _scripts.GetOrAdd(key, k => new Lazy<Task<Entry>>(() => Task.Run(() => Build(k, file, code))));
        if (path is not null)
        {
            Supersede(path, key);
        }
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            // A relay bug or a broken cache folder: do not keep the failure, the next invocation tries again.
            _scripts.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }

    /// <summary>Records <paramref name="key"/> as the latest version of the file at <paramref name="path"/> and drops
    /// the version it replaces.</summary>
    void Supersede(string path, string key)
    {
        string? previous = null;
        _latestByPath.AddOrUpdate(path, key, (_, old) =>
        {
            previous = old;
            return key;
        });
        if (previous is not null && previous != key)
        {
            _scripts.TryRemove(previous, out _);
        }
    }

    Entry Build(string key, string file, string code)
    {
        var cached = Path.Combine(_cacheDirectory, key + ".dll");
        if (ReadCached(cached) is { } image && IsScriptAssembly(image))
        {
            Interlocked.Increment(ref _cacheLoads);
            return new Entry(key, image, []);
        }
        // Missing or damaged: compile again, and the fresh image replaces the damaged file.
        Interlocked.Increment(ref _compilations);
        var compilation = ScriptCompiler.Compile(code, file);
        if (compilation.Image is null)
        {
            return new Entry(key, null, compilation.Diagnostics);
        }
        WriteCached(cached, compilation.Image);
        return new Entry(key, compilation.Image, []);
    }

    /// <summary>Whether <paramref name="image"/> is an assembly holding the script submission type (a cache file may be
    /// truncated or damaged; the worker must only ever be sent whole images).</summary>
    static bool IsScriptAssembly(byte[] image)
    {
        try
        {
            using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(image));
            if (!pe.HasMetadata)
            {
                return false;
            }
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                if (metadata.StringComparer.Equals(metadata.GetTypeDefinition(handle).Name, ScriptCompiler.SubmissionType))
                {
                    return true;
                }
            }
            return false;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    static byte[]? ReadCached(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static void WriteCached(string path, byte[] image)
    {
        // Written to a unique temporary name, then renamed: a reader (another relay) never sees half a file.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The disk cache only saves a compilation after a restart; the in-memory copy serves this relay.
            TryDelete(temporary);
        }
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: a stray .tmp file is ignored by every reader.
        }
    }

    /// <summary>The script path as diagnostics show it: forward slashes, no leading <c>./</c>.</summary>
    internal static string DisplayPath(string target)
    {
        var file = target.Replace('\\', '/');
        while (file.StartsWith("./", StringComparison.Ordinal))
        {
            file = file[2..];
        }
        return file;
    }

    /// <summary>One script version: its image, or its errors.</summary>
    sealed record Entry(string Key, byte[]? Image, ImmutableArray<ScriptDiagnostic> Diagnostics);
}

/// <summary>A compiled script: its cache key (the name workers keep it under) and its assembly image.</summary>
sealed record ScriptImage(string Key, byte[] Image);

/// <summary>What identifies a version of a file without reading it: its modification time and length.</summary>
readonly record struct FileStamp(long LastWriteTicks, long Length)
{
    /// <summary>The stamp of the file at <paramref name="path"/>, or <see langword="null"/> when there is none.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length) : null;
    }
}
