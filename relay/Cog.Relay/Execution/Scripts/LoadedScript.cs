using System.Reflection;
using System.Runtime.Loader;

namespace Cog.Relay.Execution.Scripts;

/// <summary>
/// One compiled script version loaded into its own collectible <see cref="AssemblyLoadContext"/>, with the submission
/// factory ready to call.
/// </summary>
/// <remarks>
/// Invocations <see cref="TryAcquire"/> it before running and <see cref="Release"/> it after; once
/// <see cref="Retire"/>d (a newer version of the file was seen), the context is unloaded as soon as no invocation
/// uses it. Thread-safe.
/// </remarks>
sealed class LoadedScript
{
    readonly Lock _lock = new();
    readonly AssemblyLoadContext _context;
    int _users;
    bool _retired;
    bool _unloaded;

    LoadedScript(AssemblyLoadContext context, Func<object[], Task<object>> factory)
    {
        _context = context;
        Factory = factory;
    }

    /// <summary>Creates the submission and runs it: the argument is the submission array, whose element 0 holds the globals.</summary>
    public Func<object[], Task<object>> Factory { get; }

    /// <summary>Whether the load context has been unloaded (tests observe unloading through this).</summary>
    public bool IsUnloaded
    {
        get
        {
            lock (_lock)
            {
                return _unloaded;
            }
        }
    }

    /// <summary>Loads <paramref name="image"/> (an assembly emitted by <see cref="ScriptCompiler"/>) into a new collectible
    /// context named after <paramref name="key"/>.</summary>
    /// <exception cref="BadImageFormatException">The image is not a valid assembly (a damaged cache file).</exception>
    /// <exception cref="InvalidOperationException">The image has no script submission factory.</exception>
    public static LoadedScript Load(string key, byte[] image)
    {
        var context = new AssemblyLoadContext("cog-script-" + key, isCollectible: true);
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            var assembly = context.LoadFromStream(stream);
            var method = assembly.GetType(ScriptCompiler.SubmissionType, throwOnError: false)?.GetMethod(ScriptCompiler.FactoryMethod, BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"The script assembly has no {ScriptCompiler.SubmissionType}.{ScriptCompiler.FactoryMethod} method.");
            return new LoadedScript(context, method.CreateDelegate<Func<object[], Task<object>>>());
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    /// <summary>Marks one more invocation as running this version; <see langword="false"/> if it was already unloaded
    /// (the caller looks the script up again).</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_unloaded)
            {
                return false;
            }
            _users++;
            return true;
        }
    }

    /// <summary>Ends one invocation's use; unloads a retired version when it was the last.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _users--;
            UnloadIfIdle();
        }
    }

    /// <summary>A newer version replaces this one: unload now if idle, else when the last invocation ends.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
            UnloadIfIdle();
        }
    }

    void UnloadIfIdle()
    {
        if (_retired && _users == 0 && !_unloaded)
        {
            _unloaded = true;
            _context.Unload();
        }
    }
}
