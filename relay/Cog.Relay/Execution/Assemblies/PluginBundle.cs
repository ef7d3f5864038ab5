using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Cog.Sdk;
using McMaster.NETCore.Plugins;

namespace Cog.Relay.Execution.Assemblies;

/// <summary>
/// One version of a plugin-assembly bundle: its own unloadable <see cref="PluginLoader"/> (created on first use), the
/// command types resolved from it, and the count of invocations running its code.
/// </summary>
/// <remarks>
/// <para>Thread-safe. <see cref="Cog.Sdk"/> is the only assembly shared with the relay: every other dependency, even one
/// the relay also has (YamlDotNet, Newtonsoft.Json...), is loaded from the bundle folder in the bundle's own version.</para>
/// <para>Once <see cref="Retire"/> has been called and the last invocation has finished, the load context is unloaded
/// and every reference the relay holds into it is dropped, so the runtime can collect it.</para>
/// </remarks>
sealed class PluginBundle
{
    readonly Lock _gate = new();
    readonly Dictionary<string, TypeResolution> _types = new(StringComparer.Ordinal);
    PluginLoader? _loader;
    Assembly? _assembly;
    JsonSerializerOptions? _serializerOptions;
    int _inFlight;
    bool _retired;

    public PluginBundle(string name, string version, string directory, string? assembly)
    {
        Name = name;
        Version = version;
        Directory = directory;
        Assembly = assembly;
    }

    /// <summary>The bundle name.</summary>
    public string Name { get; }

    /// <summary>The bundle version.</summary>
    public string Version { get; }

    /// <summary>The full path of the folder the bundle version was unpacked to.</summary>
    public string Directory { get; }

    /// <summary>The plugin assembly's path relative to <see cref="Directory"/>, as the manifest gives it.</summary>
    public string? Assembly { get; }

    /// <summary>How many invocations are running this version's code now.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Whether this version was retired (unloaded, or unloading once its invocations finish).</summary>
    public bool IsRetired
    {
        get
        {
            lock (_gate)
            {
                return _retired;
            }
        }
    }

    /// <summary>The load context of the plugin assembly, once loaded (tests watch it being collected).</summary>
    internal AssemblyLoadContext? LoadContext
    {
        get
        {
            lock (_gate)
            {
                return _assembly is null ? null : AssemblyLoadContext.GetLoadContext(_assembly);
            }
        }
    }

    /// <summary>Counts one more running invocation; <see langword="false"/> when the version is retired.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }
            _inFlight++;
            return true;
        }
    }

    /// <summary>Ends one invocation started with <see cref="TryEnter"/>; the last one out of a retired version unloads it.</summary>
    public void Exit()
    {
        lock (_gate)
        {
            if (--_inFlight == 0 && _retired)
            {
                UnloadLocked();
            }
        }
    }

    /// <summary>Takes the version out of service: it is unloaded now, or when its last running invocation ends.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            if (_inFlight == 0)
            {
                UnloadLocked();
            }
        }
    }

    /// <summary>The command type named <paramref name="typeName"/> (loading the assembly on first use), or why it cannot run.</summary>
    /// <remarks>Call only between <see cref="TryEnter"/> and <see cref="Exit"/>. Results are cached, failures included,
    /// except a failure to load the assembly, which is retried on the next invocation.</remarks>
    public TypeResolution Resolve(string typeName)
    {
        lock (_gate)
        {
            if (_types.TryGetValue(typeName, out var cached))
            {
                return cached;
            }
            if (_assembly is null && LoadLocked() is { } error)
            {
                return TypeResolution.Failed(error);
            }
            var resolution = Check(_assembly!, typeName, Assembly!, _serializerOptions!);
            _types[typeName] = resolution;
            return resolution;
        }
    }

    string? LoadLocked()
    {
        if (Assembly is null)
        {
            return AssemblyErrors.NoAssembly(Name);
        }
        var path = Path.GetFullPath(Path.Combine(Directory, Assembly.Replace('\\', '/')));
        if (!File.Exists(path))
        {
            return AssemblyErrors.AssemblyNotFound(Assembly);
        }
        // Cog.Sdk is the only shared assembly. PreferSharedTypes stays off on purpose: it would hand the bundle the
        // relay's copy of any dependency the relay also has (in a version the bundle was not built against).
        var loader = PluginLoader.CreateFromAssemblyFile(path, sharedTypes: [typeof(ICommand)], config => config.IsUnloadable = true);
        try
        {
            _assembly = loader.LoadDefaultAssembly();
            _loader = loader;
            _serializerOptions = ResultConverter.CreateOptions();
            return null;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            loader.Dispose();
            return AssemblyErrors.AssemblyNotLoaded(Assembly, e.Message);
        }
    }

    void UnloadLocked()
    {
        _types.Clear();
        _assembly = null;
        _serializerOptions = null;
        if (_loader is not null)
        {
            _loader.Dispose();
            _loader = null;
            JsonReflectionCache.Clear();
        }
    }

    static TypeResolution Check(Assembly assembly, string typeName, string assemblyFile, JsonSerializerOptions serializerOptions)
    {
        Type? type;
        try
        {
            type = assembly.GetType(typeName, throwOnError: false, ignoreCase: false);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return TypeResolution.Failed(AssemblyErrors.TypeNotLoaded(typeName, e.Message));
        }
        if (type is null)
        {
            return TypeResolution.Failed(AssemblyErrors.TypeNotFound(typeName, assemblyFile));
        }
        if (!type.IsVisible)
        {
            return TypeResolution.Failed(AssemblyErrors.TypeNotPublic(typeName));
        }
        if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
        {
            return TypeResolution.Failed(AssemblyErrors.TypeNotConcrete(typeName));
        }
        if (!typeof(ICommand).IsAssignableFrom(type))
        {
            return TypeResolution.Failed(ImplementsOtherSdk(type) ? AssemblyErrors.TypeUsesOwnSdk(typeName) : AssemblyErrors.TypeNotACommand(typeName));
        }
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            return TypeResolution.Failed(AssemblyErrors.NoParameterlessConstructor(typeName));
        }
        return TypeResolution.Found(type, serializerOptions);
    }

    static bool ImplementsOtherSdk(Type type)
    {
        foreach (var contract in type.GetInterfaces())
        {
            if (contract.FullName == typeof(ICommand).FullName)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>A command type ready to instantiate, with the serializer options for its items (owned by the bundle
/// version, dropped when it unloads), or the message saying why the manifest's <c>type</c> cannot run.</summary>
readonly record struct TypeResolution(Type? Type, JsonSerializerOptions? SerializerOptions, string? Error)
{
    public static TypeResolution Found(Type type, JsonSerializerOptions serializerOptions) => new(type, serializerOptions, null);

    public static TypeResolution Failed(string error) => new(null, null, error);
}
