using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cog.Sdk;
using Cog.Worker.Scripts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Cog.Relay.Execution.Scripts;

/// <summary>
/// Compiles a C# script against <see cref="ScriptGlobals"/>: the compiler's errors plus the forbidden-API check
/// (<see cref="ForbiddenApiChecker"/>), then the emitted assembly image.
/// </summary>
/// <remarks>
/// <para>References: the framework's <c>System.Runtime</c> (with <c>System.Private.CoreLib</c>, which scripting always
/// adds), <c>System.Collections</c>, <c>System.Linq</c>, <c>System.Text.Json</c>, <c>System.Text.RegularExpressions</c>
/// and <c>Cog.Sdk</c>, plus the forwarders their signatures need (<c>System.Memory</c>, <c>System.Threading</c>,
/// <c>System.Text.Encodings.Web</c>). They are the running framework's own assemblies, so a script binds to exactly
/// what it runs against; the cache key includes the runtime version for that reason. <c>System.Diagnostics.Process</c> is referenced only so that a script using it gets the precise
/// <see cref="ScriptDiagnostics.Processes"/> diagnostic rather than "type not found". <c>System.Net.Http</c> is not
/// referenced: outbound network calls from the relay need an operator's trust, which a plugin assembly or an
/// executable states and a script should not get by default.</para>
/// <para>Pure and thread-safe; a compilation takes hundreds of milliseconds, so callers cache the result
/// (<see cref="CompiledScripts"/>).</para>
/// </remarks>
static class ScriptCompiler
{
    /// <summary>Changes whenever the options, references, imports or checks below change, so that cached assemblies
    /// compiled under the old rules are not reused.</summary>
    const string OptionsVersion = "cog-scripts-2";

    /// <summary>The namespaces every script imports.</summary>
    public static ImmutableArray<string> Imports { get; } =
        ["System", "System.Linq", "System.Collections.Generic", "System.Text.Json", "System.Threading.Tasks", "Cog.Sdk"];

    static readonly ScriptOptions Options = ScriptOptions.Default
        .WithReferences(References())
        .WithImports(Imports)
        .WithMetadataResolver(RefusingMetadataResolver.Instance)
        .WithSourceResolver(RefusingSourceResolver.Instance)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithAllowUnsafe(false)
        .WithEmitDebugInformation(false)
        .WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>What goes into the cache key besides the script: the options version, the SDK's identity, the
    /// compiler's version and the runtime's version.</summary>
    static readonly string KeyPrefix = string.Join('\n',
        OptionsVersion,
        typeof(ScriptGlobals).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
        typeof(ScriptGlobals).Assembly.GetName().Version?.ToString() ?? "",
        typeof(CSharpScript).Assembly.GetName().Version?.ToString() ?? "",
        System.Environment.Version.ToString());

    /// <summary>The submission class Roslyn scripting emits for the first (only) submission, where the worker looks for it.</summary>
    internal const string SubmissionType = LoadedScript.SubmissionType;

    /// <summary>The factory method: <c>static Task&lt;object&gt; &lt;Factory&gt;(object[] submissionArray)</c>.</summary>
    internal const string FactoryMethod = LoadedScript.FactoryMethod;

    /// <summary>The cache key of a script: lower-case hex SHA-256 of the key prefix, the relative path and the text.</summary>
    public static string CacheKey(string file, string code)
    {
        var bytes = Encoding.UTF8.GetBytes(KeyPrefix + "\n" + file + "\n" + code);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Compiles and checks <paramref name="code"/>; <paramref name="file"/> is the path shown in diagnostics.</summary>
    public static ScriptCompilation Compile(string code, string file, CancellationToken cancellationToken = default)
    {
        var script = CSharpScript.Create(code, Options.WithFilePath(file), typeof(ScriptGlobals));
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Single();

        var forbidden = ForbiddenApiChecker.Check(compilation.GetSemanticModel(tree), tree, file, cancellationToken);
        var diagnostics = new List<ScriptDiagnostic>(forbidden);
        AddErrors(diagnostics, compilation.GetDiagnostics(cancellationToken), forbidden, file);
        if (diagnostics.Count > 0)
        {
            return ScriptCompilation.Failed(Sorted(diagnostics));
        }

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            AddErrors(diagnostics, emitted.Diagnostics, forbidden, file);
            return ScriptCompilation.Failed(Sorted(diagnostics));
        }
        var entryPoint = compilation.GetEntryPoint(cancellationToken);
        if (entryPoint is null || entryPoint.ContainingType.MetadataName != SubmissionType || entryPoint.MetadataName != FactoryMethod)
        {
            throw new InvalidOperationException($"Roslyn scripting emitted an unexpected entry point '{entryPoint}'; the script loader expects {SubmissionType}.{FactoryMethod}.");
        }
        return ScriptCompilation.Succeeded(image.ToArray());
    }

    /// <summary>The errors of <paramref name="code"/> (compiler and forbidden APIs), empty when it would run;
    /// for offline validation (<c>cogctl</c>).</summary>
    public static ImmutableArray<ScriptDiagnostic> Check(string code, string file, CancellationToken cancellationToken = default) =>
        Compile(code, file, cancellationToken).Diagnostics;

    static void AddErrors(List<ScriptDiagnostic> into, ImmutableArray<Diagnostic> diagnostics, List<ScriptDiagnostic> forbidden, string file)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Severity != DiagnosticSeverity.Error)
            {
                continue;
            }
            var position = diagnostic.Location.GetLineSpan().StartLinePosition;
            var entry = new ScriptDiagnostic(diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), file, position.Line + 1, position.Character + 1);
            // A refused #r or #load, or unsafe code, is already explained by its COG diagnostic on that line.
            if (forbidden.Exists(f => f.Line == entry.Line && (f.Id is ScriptDiagnostics.Directives or ScriptDiagnostics.UnmanagedCode)) || into.Contains(entry))
            {
                continue;
            }
            into.Add(entry);
        }
    }

    static ImmutableArray<ScriptDiagnostic> Sorted(List<ScriptDiagnostic> diagnostics)
    {
        diagnostics.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return [.. diagnostics];
    }

    static IEnumerable<MetadataReference> References()
    {
        Assembly[] assemblies =
        [
            Assembly.Load(new AssemblyName("System.Runtime")),
            Assembly.Load(new AssemblyName("System.Collections")),
            // Forwarders to types that System.Text.Json and System.Linq signatures use (ReadOnlyMemory<T>, JavaScriptEncoder...).
            Assembly.Load(new AssemblyName("System.Memory")),
            Assembly.Load(new AssemblyName("System.Threading")),
            Assembly.Load(new AssemblyName("System.Text.Encodings.Web")),
            typeof(Enumerable).Assembly,
            typeof(JsonSerializer).Assembly,
            typeof(Regex).Assembly,
            typeof(System.Diagnostics.Process).Assembly,
            typeof(ScriptGlobals).Assembly,
        ];
        foreach (var assembly in assemblies)
        {
            yield return MetadataReference.CreateFromFile(assembly.Location);
        }
    }

    /// <summary>Resolves no <c>#r</c>: scripts reference only the set above (the directive is reported as
    /// <see cref="ScriptDiagnostics.Directives"/>).</summary>
    sealed class RefusingMetadataResolver : MetadataReferenceResolver
    {
        public static RefusingMetadataResolver Instance { get; } = new();

        public override bool Equals(object? other) => other is RefusingMetadataResolver;

        public override int GetHashCode() => 1;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];
    }

    /// <summary>Resolves no <c>#load</c>: a script is one file, and the compiler must never read another.</summary>
    sealed class RefusingSourceResolver : SourceReferenceResolver
    {
        public static RefusingSourceResolver Instance { get; } = new();

        public override bool Equals(object? other) => other is RefusingSourceResolver;

        public override int GetHashCode() => 2;

        public override string? NormalizePath(string path, string? baseFilePath) => path;

        public override Stream OpenRead(string resolvedPath) => throw new IOException("#load is not supported in scripts.");

        public override string? ResolveReference(string path, string? baseFilePath) => null;
    }
}

/// <summary>The result of compiling a script: the assembly image, or the errors.</summary>
sealed class ScriptCompilation
{
    ScriptCompilation(byte[]? image, ImmutableArray<ScriptDiagnostic> diagnostics)
    {
        Image = image;
        Diagnostics = diagnostics;
    }

    /// <summary>The emitted assembly, or <see langword="null"/> when there are errors.</summary>
    public byte[]? Image { get; }

    /// <summary>The errors in source order; empty on success.</summary>
    public ImmutableArray<ScriptDiagnostic> Diagnostics { get; }

    public static ScriptCompilation Succeeded(byte[] image) => new(image, []);

    public static ScriptCompilation Failed(ImmutableArray<ScriptDiagnostic> diagnostics) => new(null, diagnostics);
}
