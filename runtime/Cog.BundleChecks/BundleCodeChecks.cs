using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Cog.Manifest;
using Cog.Relay.Execution.Scripts;
using Cog.Runtime.Templates;
using Cog.Worker.Plugins;

namespace Cog.BundleChecks;

/// <summary>
/// The checks a loaded, valid manifest's bundle folder gets before anything runs: each one fails now, with a file, line
/// and column, what would otherwise fail only when someone runs the command in chat.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every <c>script</c> compiles with the relay's own compiler, references and script check
/// (<c>ScriptCompiler.Check</c>): its errors are positioned in the script file.</item>
/// <item>Every <c>type</c> is read from the plug-in assembly with <see cref="MetadataLoadContext"/> (nothing in it runs)
/// and must meet the worker's conditions: it exists, is public, a concrete non-generic class, implements
/// <c>Cog.Sdk.ICommand</c>, and has a public parameterless constructor. The worker's messages; positioned at the
/// manifest's <c>type</c> value.</item>
/// <item>Every template parses with the server's template engine (Liquid for version 6, Greenbar for 4 and 5): a template
/// in the manifest is positioned at the manifest line plus its line inside the template, a <c>templates/NAME.liquid</c>
/// file at its own line.</item>
/// <item>Every relative <c>executable</c> exists in the folder and is executable. An absolute path (versions 4 and 5) is
/// installed on the relay hosts, not in the bundle: a warning says it was not checked.</item>
/// </list>
/// Pure apart from reading the folder; thread-safe.
/// </remarks>
public static class BundleCodeChecks
{
    /// <summary>Checks the bundle in <paramref name="folder"/>, whose manifest file (one of
    /// <see cref="ManifestLoader.FileNames"/>) loaded as <paramref name="manifest"/>.</summary>
    /// <param name="displayFolder">How paths inside the folder are shown in errors (the folder as the user named it, or
    /// empty for paths relative to the bundle).</param>
    /// <returns>The errors, then the warnings, each in manifest order.</returns>
    public static (ImmutableArray<ManifestError> Errors, ImmutableArray<ManifestError> Warnings) CheckFolder(string folder, string displayFolder,
        BundleManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(displayFolder);
        var name = ManifestLoader.FileNames.FirstOrDefault(n => File.Exists(Path.Combine(folder, n))) ?? ManifestLoader.FileNames[0];
        return Check(folder, displayFolder, manifest, File.ReadAllText(Path.Combine(folder, name)),
            displayFolder.Length == 0 ? name : Path.Combine(displayFolder, name), cancellationToken);
    }

    /// <summary>Checks the bundle in <paramref name="folder"/>, whose manifest <paramref name="manifestText"/> loaded as
    /// <paramref name="manifest"/>.</summary>
    /// <param name="displayFolder">How paths inside the folder are shown in errors (the folder as the user named it, or
    /// empty for paths relative to the bundle).</param>
    /// <param name="manifestFile">How the manifest file is shown in errors.</param>
    /// <returns>The errors, then the warnings, each in manifest order.</returns>
    public static (ImmutableArray<ManifestError> Errors, ImmutableArray<ManifestError> Warnings) Check(string folder, string displayFolder,
        BundleManifest manifest, string manifestText, string manifestFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(displayFolder);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(manifestText);
        ArgumentNullException.ThrowIfNull(manifestFile);
        var errors = ImmutableArray.CreateBuilder<ManifestError>();
        var warnings = ImmutableArray.CreateBuilder<ManifestError>();
        ManifestError AtManifest(string message, string pointer)
        {
            var at = ManifestLoader.PositionOf(manifestText, pointer);
            return new ManifestError(message, manifestFile, at.Line, at.Column, "#" + pointer);
        }
        string Shown(string relative) => displayFolder.Length == 0 ? relative : Path.Combine(displayFolder, relative);

        using var plugins = PluginTypes.Open(folder, manifest.Name, manifest.Assembly);
        foreach (var command in manifest.Commands)
        {
            var pointer = $"/commands/{command.Name}";
            switch (command.Kind)
            {
                case CommandKind.Script:
                    var file = command.Target.Replace('\\', '/');
                    var code = File.ReadAllText(Path.Combine(folder, file));
                    foreach (var d in ScriptCompiler.Check(code, Shown(file), cancellationToken))
                        errors.Add(new ManifestError($"{d.Id}: {d.Message}", d.File, d.Line, d.Column, $"#{pointer}/script"));
                    break;
                case CommandKind.Type:
                    if (plugins.Check(command.Target) is { } typeError)
                        errors.Add(AtManifest(typeError, $"{pointer}/type"));
                    break;
                case CommandKind.Executable when Path.IsPathRooted(command.Target):
                    warnings.Add(AtManifest(BundleCheckMessages.ExecutableOnRelayHosts(command.Target), $"{pointer}/executable"));
                    break;
                case CommandKind.Executable:
                    var path = Path.Combine(folder, command.Target);
                    if (!File.Exists(path))
                        errors.Add(AtManifest(BundleCheckMessages.ExecutableNotFound(command.Target), $"{pointer}/executable"));
                    else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ExecuteBits) == 0)
                        errors.Add(AtManifest(BundleCheckMessages.ExecutableNotExecutable(command.Target), $"{pointer}/executable"));
                    break;
            }
        }
        CheckTemplates(folder, manifest, manifestText, manifestFile, Shown, errors);
        return (errors.ToImmutable(), warnings.ToImmutable());
    }

    const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The folder of template files a version 6 package carries beside the manifest's <c>templates:</c>.</summary>
    const string TemplateFolder = "templates";

    static readonly TemplateEngine Templates = new(null, TimeProvider.System);

    static void CheckTemplates(string folder, BundleManifest manifest, string manifestText, string manifestFile, Func<string, string> shown,
        ImmutableArray<ManifestError>.Builder errors)
    {
        var dialect = manifest.ManifestVersion >= 6 ? TemplateDialect.Liquid : TemplateDialect.Greenbar;
        foreach (var (name, body) in manifest.Templates.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (Templates.Compile(body, dialect).Error is not { } error)
                continue;
            var pointer = $"/templates/{name}/body";
            var at = ManifestLoader.PositionOf(manifestText, pointer);
            // A block scalar (| or >) starts on the line after its indicator; a flow scalar on the indicator's line.
            var block = at.Offset < manifestText.Length && manifestText[at.Offset] is '|' or '>';
            var line = error.Line == 0 ? at.Line : checked(at.Line + error.Line - (block ? 0 : 1));
            var column = error.Line == 0 ? at.Column : error.Column;
            errors.Add(new ManifestError(BundleCheckMessages.Template(name, error), manifestFile, line, column, "#" + pointer));
        }
        var files = Path.Combine(folder, TemplateFolder);
        if (manifest.ManifestVersion < 6 || !Directory.Exists(files))
            return;
        foreach (var path in Directory.EnumerateFiles(files, "*.liquid").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (manifest.Templates.ContainsKey(name) || Templates.Compile(File.ReadAllText(path), dialect).Error is not { } error)
                continue;
            errors.Add(new ManifestError(BundleCheckMessages.Template(name, error), shown($"{TemplateFolder}/{Path.GetFileName(path)}"),
                Math.Max(error.Line, 1), Math.Max(error.Column, 1), ""));
        }
    }

    /// <summary>The plug-in assembly opened for reading only, or nothing when the bundle has none.</summary>
    sealed class PluginTypes : IDisposable
    {
        readonly MetadataLoadContext? _context;
        readonly Assembly? _assembly;
        readonly string? _assemblyFile;
        readonly string? _loadError;
        readonly string _bundle;

        PluginTypes(string bundle, MetadataLoadContext? context, Assembly? assembly, string? assemblyFile, string? loadError) =>
            (_bundle, _context, _assembly, _assemblyFile, _loadError) = (bundle, context, assembly, assemblyFile, loadError);

        public static PluginTypes Open(string folder, string bundle, string? assemblyFile)
        {
            if (assemblyFile is null)
                return new(bundle, null, null, null, null);
            var path = Path.GetFullPath(Path.Combine(folder, assemblyFile));
            if (!File.Exists(path))
                return new(bundle, null, null, assemblyFile, AssemblyErrors.AssemblyNotFound(assemblyFile));
            // What the worker gives a plug-in: the running framework, Cog.Sdk (the worker's own copy), the bundle's files.
            var framework = Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
            var bundleFiles = Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*.dll")
                .Where(f => !Path.GetFileName(f).Equals("Cog.Sdk.dll", StringComparison.OrdinalIgnoreCase));
            var context = new MetadataLoadContext(new PathAssemblyResolver([.. framework, typeof(Cog.Sdk.ICommand).Assembly.Location, .. bundleFiles]));
            try
            {
                return new(bundle, context, context.LoadFromAssemblyPath(path), assemblyFile, null);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
            {
                context.Dispose();
                return new(bundle, null, null, assemblyFile, AssemblyErrors.AssemblyNotLoaded(assemblyFile, e.Message));
            }
        }

        /// <summary>Why <paramref name="typeName"/> cannot be a command, as the worker would say it, or null.</summary>
        public string? Check(string typeName)
        {
            if (_assemblyFile is null)
                return AssemblyErrors.NoAssembly(_bundle);
            if (_loadError is not null)
                return _loadError;
            Type? type;
            try
            {
                type = _assembly!.GetType(typeName, throwOnError: false, ignoreCase: false);
                if (type is null)
                    return AssemblyErrors.TypeNotFound(typeName, _assemblyFile);
                if (!type.IsVisible)
                    return AssemblyErrors.TypeNotPublic(typeName);
                if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
                    return AssemblyErrors.TypeNotConcrete(typeName);
                if (!type.GetInterfaces().Any(i => i.FullName == typeof(Cog.Sdk.ICommand).FullName))
                    return AssemblyErrors.TypeNotACommand(typeName);
                if (type.GetConstructor(Type.EmptyTypes) is null)
                    return AssemblyErrors.NoParameterlessConstructor(typeName);
                return null;
            }
            catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                return AssemblyErrors.TypeNotLoaded(typeName, e.Message);
            }
        }

        public void Dispose() => _context?.Dispose();
    }
}

/// <summary>The messages of the checks that are not the relay's or the worker's own.</summary>
public static class BundleCheckMessages
{
    /// <summary>A template that does not parse.</summary>
    public static string Template(string name, TemplateError error) =>
        string.Create(CultureInfo.InvariantCulture, $"The template '{name}' does not parse: {error.Message}");

    /// <summary>A relative executable missing from the bundle.</summary>
    public static string ExecutableNotFound(string path) => $"The executable '{path}' is not in the bundle.";

    /// <summary>A relative executable without an execute permission bit.</summary>
    public static string ExecutableNotExecutable(string path) =>
        $"The executable '{path}' is not executable: give it the execute permission (chmod +x) before packaging.";

    /// <summary>An absolute executable path: it lives on the relay hosts.</summary>
    public static string ExecutableOnRelayHosts(string path) =>
        $"The executable '{path}' is installed on the relay hosts, not in the bundle: not checked here.";
}
