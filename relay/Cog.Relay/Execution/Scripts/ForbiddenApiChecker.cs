using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cog.Relay.Execution.Scripts;

/// <summary>
/// Finds what a script may not use (<see cref="ScriptDiagnostics"/>): anything outside an allow list of namespaces,
/// the deny rules that apply inside them, and forbidden keywords and directives. Walks every name, expression,
/// attribute and declaration of the syntax tree and resolves it through the semantic model, so an alias or a fully
/// qualified name is judged by the symbol it denotes, not by how it is spelled; a member is judged by its containing
/// type and every type in its signature.
/// </summary>
/// <remarks>
/// <para>This is early feedback for script authors, not isolation. A script runs in a worker process that the relay's
/// sandbox confines; that worker is what keeps a script from the relay's files, environment, network and other
/// bundles, and what stops a script that hangs, crashes or exhausts memory. A script that finds a way past this check
/// is still contained by its worker.</para>
/// <para>Reports at most one diagnostic per id and line (a forbidden call names the type and the method; one
/// diagnostic says it). Pure and thread-safe.</para>
/// </remarks>
static class ForbiddenApiChecker
{
    /// <summary>The namespaces whose types a script may use, unless a rule below forbids a type or member in them:
    /// the language's own support, collections, LINQ, text, JSON, regular expressions, culture-aware formatting,
    /// numbers, buffers, tasks and <c>Cog.Sdk</c>. Everything a script needs to turn arguments and input into output;
    /// nothing that reaches outside the process (files, processes, the network, the environment) or into the runtime
    /// (reflection, loading, interop). <c>System.Net.Http</c> is not on it (nor among a script's references): a
    /// command that calls other services is a plug-in assembly or an executable, and the bundle's configuration
    /// states that it needs the network, which its worker gets only then.</summary>
    static readonly HashSet<string> AllowedNamespaces = new(StringComparer.Ordinal)
    {
        "System", "System.Buffers", "System.Buffers.Binary", "System.Buffers.Text",
        "System.Collections", "System.Collections.Concurrent", "System.Collections.Frozen", "System.Collections.Generic",
        "System.Collections.Immutable", "System.Collections.ObjectModel", "System.Collections.Specialized",
        "System.Diagnostics.CodeAnalysis", "System.Globalization", "System.Linq", "System.Numerics",
        "System.Runtime.CompilerServices", "System.Text", "System.Text.Encodings.Web", "System.Text.Json",
        "System.Text.Json.Nodes", "System.Text.Json.Serialization", "System.Text.RegularExpressions", "System.Text.Unicode",
        "System.Threading.Tasks", "Cog.Sdk",
    };

    /// <summary>The in-memory types of <c>System.IO</c>; the rest of it is the file system.</summary>
    static readonly HashSet<string> AllowedIo = new(StringComparer.Ordinal)
    {
        "Stream", "MemoryStream", "BufferedStream", "TextReader", "TextWriter", "StringReader", "StringWriter",
        "BinaryReader", "BinaryWriter", "SeekOrigin", "IOException", "EndOfStreamException", "InvalidDataException",
    };

    /// <summary>The types of <c>System.Diagnostics</c> that neither touch processes nor the debugger.</summary>
    static readonly HashSet<string> AllowedDiagnostics = new(StringComparer.Ordinal)
    {
        "Stopwatch", "UnreachableException", "ConditionalAttribute",
    };

    /// <summary>The types of <c>System.Threading</c> that start no work of their own: cancellation (whose timer
    /// constructors and <c>CancelAfter</c> are forbidden below), atomics and locks. <c>Thread</c>, <c>ThreadPool</c>,
    /// the timers, <c>SynchronizationContext</c>, <c>ExecutionContext</c> and wait handles are not.</summary>
    static readonly HashSet<string> AllowedThreading = new(StringComparer.Ordinal)
    {
        "CancellationToken", "CancellationTokenSource", "CancellationTokenRegistration", "Interlocked", "Volatile",
        "Lock", "SemaphoreSlim", "LazyInitializer", "LazyThreadSafetyMode", "Timeout", "AsyncLocal`1",
    };

    /// <summary>The members of <c>System.Type</c> that describe a type without reflecting on it; every other member
    /// (<c>GetMethod</c>, <c>MakeGenericType</c>, <c>TypeHandle</c>...) is reflection.</summary>
    static readonly HashSet<string> AllowedTypeMembers = new(StringComparer.Ordinal)
    {
        "FullName", "Namespace", "IsArray", "IsClass", "IsEnum", "IsGenericType", "IsInterface", "IsPrimitive",
        "IsValueType", "IsAssignableFrom", "IsAssignableTo", "IsInstanceOfType", "op_Equality", "op_Inequality",
        "Equals", "GetHashCode", "ToString",
    };

    /// <summary>Types forbidden inside the allowed namespaces (or named more precisely than their namespace's rule).</summary>
    static readonly Dictionary<string, string> ForbiddenTypes = new(StringComparer.Ordinal)
    {
        ["System.Activator"] = ScriptDiagnostics.Reflection,
        ["System.AppDomain"] = ScriptDiagnostics.Reflection,
        ["System.RuntimeTypeHandle"] = ScriptDiagnostics.Reflection,
        ["System.RuntimeMethodHandle"] = ScriptDiagnostics.Reflection,
        ["System.RuntimeFieldHandle"] = ScriptDiagnostics.Reflection,
        ["System.ModuleHandle"] = ScriptDiagnostics.Reflection,
        ["System.AppContext"] = ScriptDiagnostics.Environment,
        ["System.GC"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.TaskFactory"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.TaskFactory`1"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.TaskScheduler"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Parallel"] = ScriptDiagnostics.Threads,
        ["System.TypedReference"] = ScriptDiagnostics.UnmanagedCode,
        ["System.ArgIterator"] = ScriptDiagnostics.UnmanagedCode,
        ["System.RuntimeArgumentHandle"] = ScriptDiagnostics.UnmanagedCode,
        ["System.Runtime.CompilerServices.Unsafe"] = ScriptDiagnostics.UnmanagedCode,
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = ScriptDiagnostics.UnmanagedCode,
        // What the compiler builds async void methods with; its SetException throws on a thread pool thread.
        ["System.Runtime.CompilerServices.AsyncVoidMethodBuilder"] = ScriptDiagnostics.AsyncVoid,
    };

    /// <summary>Members forbidden on otherwise allowed types, by containing type and name (every overload).</summary>
    static readonly Dictionary<string, string> ForbiddenMembers = new(StringComparer.Ordinal)
    {
        ["System.Environment.Exit"] = ScriptDiagnostics.Threads,
        ["System.Environment.FailFast"] = ScriptDiagnostics.Threads,
        // Delegate.CreateDelegate binds a delegate to any method by name (typeof(Type), "GetType"), past every rule here.
        ["System.Delegate.CreateDelegate"] = ScriptDiagnostics.Reflection,
        ["System.Delegate.DynamicInvoke"] = ScriptDiagnostics.Reflection,
        ["System.Delegate.Method"] = ScriptDiagnostics.Reflection,
        // Work that runs after the script returns: a started task, a continuation, a timer-driven cancellation.
        ["System.Threading.Tasks.Task.Run"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Task.Factory"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Task.Start"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Task.ContinueWith"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Task`1.Factory"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Task`1.ContinueWith"] = ScriptDiagnostics.Threads,
        ["System.Threading.CancellationTokenSource.CancelAfter"] = ScriptDiagnostics.Threads,
    };

    static readonly SymbolDisplayFormat Display = SymbolDisplayFormat.CSharpErrorMessageFormat;

    /// <summary>The forbidden uses in <paramref name="tree"/>, in source order.</summary>
    public static List<ScriptDiagnostic> Check(SemanticModel model, SyntaxTree tree, string file, CancellationToken cancellationToken)
    {
        var found = new List<ScriptDiagnostic>();
        var seen = new HashSet<(string, int)>();
        var root = tree.GetCompilationUnitRoot(cancellationToken);

        foreach (var directive in root.GetReferenceDirectives())
        {
            Report(found, seen, ScriptDiagnostics.Directives, "#r", directive.GetLocation(), file);
        }
        foreach (var directive in root.GetLoadDirectives())
        {
            Report(found, seen, ScriptDiagnostics.Directives, "#load", directive.GetLocation(), file);
        }

        foreach (var token in root.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.UnsafeKeyword) || token.IsKind(SyntaxKind.FixedKeyword) || token.IsKind(SyntaxKind.ExternKeyword))
            {
                Report(found, seen, ScriptDiagnostics.UnmanagedCode, token.Text, token.GetLocation(), file);
            }
        }

        foreach (var node in root.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case PointerTypeSyntax or FunctionPointerTypeSyntax:
                    Report(found, seen, ScriptDiagnostics.UnmanagedCode, node.ToString(), node.GetLocation(), file);
                    continue;
                case DestructorDeclarationSyntax destructor:
                    // A finalizer runs on the runtime's finalizer thread after the script; an exception there ends the process.
                    Report(found, seen, ScriptDiagnostics.Threads, $"~{destructor.Identifier.Text}()", node.GetLocation(), file);
                    continue;
                case UsingDirectiveSyntax or ExternAliasDirectiveSyntax:
                    // Judged through the names they contain (an alias to a forbidden type is reported at its target).
                    continue;
            }

            var symbolInfo = model.GetSymbolInfo(node, cancellationToken);
            var symbol = symbolInfo.Symbol ?? (symbolInfo.CandidateSymbols.Length > 0 ? symbolInfo.CandidateSymbols[0] : null);
            var declared = model.GetDeclaredSymbol(node, cancellationToken);
            // A lambda is "declared" where it is written; its symbol comes from GetSymbolInfo.
            if ((node is AnonymousFunctionExpressionSyntax ? symbol : declared) is IMethodSymbol { IsAsync: true, ReturnsVoid: true } asyncVoid)
            {
                var name = asyncVoid.MethodKind == MethodKind.AnonymousFunction ? "lambda" : asyncVoid.ToDisplayString(Display);
                Report(found, seen, ScriptDiagnostics.AsyncVoid, "async void " + name, node.GetLocation(), file);
            }
            if (symbol is not null && Classify(symbol) is { } symbolId)
            {
                Report(found, seen, symbolId, Describe(symbol), node.GetLocation(), file);
                continue;
            }
            if (node is ExpressionSyntax expression && !IsNamespaceOrTypePart(expression)
                && model.GetTypeInfo(expression, cancellationToken).Type is { } type
                && ClassifyType(type) is { } typeId)
            {
                Report(found, seen, typeId, type.ToDisplayString(Display), node.GetLocation(), file);
            }
            if (declared is not null && TypeOf(declared) is { } declaredType
                && ClassifyType(declaredType) is { } declaredId)
            {
                Report(found, seen, declaredId, declaredType.ToDisplayString(Display), node.GetLocation(), file);
            }
        }
        found.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return found;
    }

    static bool IsNamespaceOrTypePart(ExpressionSyntax expression) =>
        expression.Parent is QualifiedNameSyntax or AliasQualifiedNameSyntax;

    static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IMethodSymbol method => method.ReturnType,
        _ => null,
    };

    static void Report(List<ScriptDiagnostic> found, HashSet<(string, int)> seen, string id, string what, Location location, string file)
    {
        var span = location.GetLineSpan();
        var line = span.StartLinePosition.Line + 1;
        if (seen.Add((id, line)))
        {
            found.Add(new ScriptDiagnostic(id, ScriptDiagnostics.Forbidden(id, what), file, line, span.StartLinePosition.Character + 1));
        }
    }

    static string Describe(ISymbol symbol) => symbol switch
    {
        IAliasSymbol alias => alias.Target.ToDisplayString(Display),
        IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => constructor.ContainingType.ToDisplayString(Display),
        _ => symbol.ToDisplayString(Display),
    };

    /// <summary>The id that forbids <paramref name="symbol"/>, or <see langword="null"/> when it is allowed.</summary>
    internal static string? Classify(ISymbol symbol)
    {
        switch (symbol)
        {
            case IAliasSymbol alias:
                return Classify(alias.Target);
            case INamespaceSymbol:
                return null;
            case ITypeSymbol type:
                return ClassifyType(type);
            // A member by its definition, then every type of its signature as used (type arguments substituted).
            case IMethodSymbol method:
                return ClassifyMember((method.ReducedFrom ?? method).OriginalDefinition)
                    ?? ClassifyTypes([.. method.TypeArguments, method.ReturnType, .. method.Parameters.Select(p => p.Type)]);
            case IPropertySymbol property:
                return ClassifyMember(property.OriginalDefinition) ?? ClassifyTypes([property.Type, .. property.Parameters.Select(p => p.Type)]);
            case IFieldSymbol field:
                return ClassifyMember(field.OriginalDefinition) ?? ClassifyType(field.Type);
            case IEventSymbol @event:
                return ClassifyMember(@event.OriginalDefinition) ?? ClassifyType(@event.Type);
            case ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol:
                // Judged through their declared types and the expressions that produce them.
                return null;
            default:
                return null;
        }
    }

    static string? ClassifyMember(ISymbol member)
    {
        if (member.ContainingType is not { } containing)
        {
            return null;
        }
        var containingName = FullName(containing);
        if (ForbiddenMembers.TryGetValue(containingName + "." + member.Name, out var id))
        {
            return id;
        }
        if ((containingName == "System.Environment" && member.Name == "NewLine")
            || (containingName == "System.Reflection.MemberInfo" && member.Name == "Name"))
        {
            // Harmless: a line break, and a type's name (typeof(T).Name is declared on MemberInfo).
            return null;
        }
        if (containingName == "System.Threading.CancellationTokenSource" && member is IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters.Length: > 0 })
        {
            // new CancellationTokenSource(delay) is a timer; new CancellationTokenSource() is not.
            return ScriptDiagnostics.Threads;
        }
        return containingName switch
        {
            "System.Environment" => ScriptDiagnostics.Environment,
            "System.Type" => AllowedTypeMembers.Contains(member.Name) ? null : ScriptDiagnostics.Reflection,
            _ => ClassifyType(containing),
        };
    }

    static string? ClassifyTypes(IEnumerable<ITypeSymbol> arguments)
    {
        foreach (var argument in arguments)
        {
            if (ClassifyType(argument) is { } id)
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>The id that forbids values of <paramref name="type"/>, or <see langword="null"/>.</summary>
    internal static string? ClassifyType(ITypeSymbol type)
    {
        switch (type)
        {
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return ScriptDiagnostics.UnmanagedCode;
            case IDynamicTypeSymbol:
                // dynamic binds members by name at run time (the C# runtime binder is reflection).
                return ScriptDiagnostics.Reflection;
            case IArrayTypeSymbol array:
                return ClassifyType(array.ElementType);
            case INamedTypeSymbol named:
                return ClassifyNamed(named.OriginalDefinition)
                    ?? (named.ContainingType is { } outer ? ClassifyType(outer) : null)
                    ?? ClassifyTypes(named.TypeArguments);
            default:
                return null;
        }
    }

    static string? ClassifyNamed(INamedTypeSymbol type)
    {
        if (type.ContainingAssembly is ISourceAssemblySymbol || type.IsAnonymousType || type.TypeKind == TypeKind.Error)
        {
            // The script's own types (checked where they are written), and names the compiler reports as unknown.
            return null;
        }
        if (ForbiddenTypes.TryGetValue(FullName(type), out var id))
        {
            return id;
        }
        var ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns == "System.IO")
        {
            return AllowedIo.Contains(type.Name) ? null : ScriptDiagnostics.FileSystem;
        }
        if (ns.StartsWith("System.IO.", StringComparison.Ordinal))
        {
            return ScriptDiagnostics.FileSystem;
        }
        if (ns == "System.Diagnostics")
        {
            return AllowedDiagnostics.Contains(type.Name) ? null : ScriptDiagnostics.Processes;
        }
        if (ns.StartsWith("System.Diagnostics.", StringComparison.Ordinal) && ns != "System.Diagnostics.CodeAnalysis")
        {
            return ScriptDiagnostics.Processes;
        }
        if (ns == "System.Reflection" || ns.StartsWith("System.Reflection.", StringComparison.Ordinal) || ns == "System.Runtime.Loader")
        {
            return ScriptDiagnostics.Reflection;
        }
        if (ns == "System.Runtime.InteropServices" || ns.StartsWith("System.Runtime.InteropServices.", StringComparison.Ordinal))
        {
            return ScriptDiagnostics.UnmanagedCode;
        }
        if (ns == "System.Threading")
        {
            return AllowedThreading.Contains(type.MetadataName) ? null : ScriptDiagnostics.Threads;
        }
        return AllowedNamespaces.Contains(ns) ? null : ScriptDiagnostics.OutsideAllowedNamespaces;
    }

    /// <summary>Namespace and type names with arity, e.g. <c>System.Threading.Tasks.TaskFactory`1</c>.</summary>
    static string FullName(INamedTypeSymbol type)
    {
        var name = type.Arity > 0 ? type.MetadataName : type.Name;
        if (type.ContainingType is { } outer)
        {
            return FullName(outer) + "." + name;
        }
        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }
}
