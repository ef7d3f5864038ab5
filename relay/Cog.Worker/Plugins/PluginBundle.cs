using System.Reflection;
using System.Text.Json;
using Cog.Sdk;
using Cog.Worker.Results;
using McMaster.NETCore.Plugins;

namespace Cog.Worker.Plugins;

/// <summary>
/// The plug-in assembly of the bundle version a worker serves: loaded on first use into its own load context, and the
/// command types resolved from it.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Cog.Sdk"/> is the only assembly shared with the worker: every other dependency is loaded from
/// the bundle folder in the bundle's own version. Never unloaded: the worker process is the unit that is replaced (a
/// rebuilt assembly gets new workers).
/// </remarks>
sealed class PluginBundle(string name, string directory, string? assembly)
{
    readonly Lock _gate = new();
    readonly Dictionary<string, TypeResolution> _types = new(StringComparer.Ordinal);
    Assembly? _assembly;
    JsonSerializerOptions? _serializerOptions;

    /// <summary>The command type named <paramref name="typeName"/> (loading the assembly on first use), or why it cannot run.</summary>
    /// <remarks>Results are cached, failures included, except a failure to load the assembly, which is retried on the
    /// next invocation.</remarks>
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
            var resolution = Check(_assembly!, typeName, assembly!, _serializerOptions!);
            _types[typeName] = resolution;
            return resolution;
        }
    }

    string? LoadLocked()
    {
        if (assembly is null)
        {
            return AssemblyErrors.NoAssembly(name);
        }
        var path = Path.GetFullPath(Path.Combine(directory, assembly.Replace('\\', '/')));
        if (!File.Exists(path))
        {
            return AssemblyErrors.AssemblyNotFound(assembly);
        }
        // Cog.Sdk is the only shared assembly. PreferSharedTypes stays off on purpose: it would hand the bundle the
        // worker's copy of any dependency the worker also has (in a version the bundle was not built against).
        var loader = PluginLoader.CreateFromAssemblyFile(path, sharedTypes: [typeof(ICommand)]);
        try
        {
            _assembly = loader.LoadDefaultAssembly();
            _serializerOptions = ResultConverter.CreateOptions();
            return null;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            loader.Dispose();
            return AssemblyErrors.AssemblyNotLoaded(assembly, e.Message);
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

/// <summary>A command type ready to instantiate, with the serializer options for its items, or the message saying why
/// the manifest's <c>type</c> cannot run.</summary>
readonly record struct TypeResolution(Type? Type, JsonSerializerOptions? SerializerOptions, string? Error)
{
    public static TypeResolution Found(Type type, JsonSerializerOptions serializerOptions) => new(type, serializerOptions, null);

    public static TypeResolution Failed(string error) => new(null, null, error);
}
