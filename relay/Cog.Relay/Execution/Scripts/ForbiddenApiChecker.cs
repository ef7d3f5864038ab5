using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cog.Relay.Execution.Scripts;

/// <summary>
/// Finds forbidden APIs, keywords and directives in a script (<see cref="ScriptDiagnostics"/>): walks every name,
/// expression, attribute and declaration of the syntax tree and resolves it through the semantic model, so an alias or
/// a fully qualified name is judged by the symbol it denotes, not by how it is spelled.
/// </summary>
/// <remarks>Reports at most one diagnostic per id and line (a forbidden call names the type and the method; one
/// diagnostic says it). Pure and thread-safe.</remarks>
static class ForbiddenApiChecker
{
    static readonly HashSet<string> AllowedIo = new(StringComparer.Ordinal)
    {
        "Stream", "MemoryStream", "BufferedStream", "TextReader", "TextWriter", "StringReader", "StringWriter",
        "BinaryReader", "BinaryWriter", "SeekOrigin", "IOException", "EndOfStreamException", "InvalidDataException",
    };

    static readonly HashSet<string> AllowedDiagnostics = new(StringComparer.Ordinal)
    {
        "Stopwatch", "UnreachableException", "ConditionalAttribute",
    };

    static readonly Dictionary<string, string> ForbiddenTypes = new(StringComparer.Ordinal)
    {
        ["System.Activator"] = ScriptDiagnostics.Reflection,
        ["System.AppDomain"] = ScriptDiagnostics.Reflection,
        ["System.AppContext"] = ScriptDiagnostics.Environment,
        ["System.GC"] = ScriptDiagnostics.Threads,
        ["System.Threading.Thread"] = ScriptDiagnostics.Threads,
        ["System.Threading.ThreadPool"] = ScriptDiagnostics.Threads,
        ["System.Threading.Timer"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.TaskFactory"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.TaskFactory`1"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Parallel"] = ScriptDiagnostics.Threads,
        ["System.Runtime.CompilerServices.Unsafe"] = ScriptDiagnostics.UnmanagedCode,
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = ScriptDiagnostics.UnmanagedCode,
    };

    static readonly Dictionary<string, string> ForbiddenMembers = new(StringComparer.Ordinal)
    {
        ["System.Environment.Exit"] = ScriptDiagnostics.Threads,
        ["System.Environment.FailFast"] = ScriptDiagnostics.Threads,
        ["System.Type.GetType"] = ScriptDiagnostics.Reflection,
        ["System.Type.InvokeMember"] = ScriptDiagnostics.Reflection,
        ["System.Type.GetTypeFromProgID"] = ScriptDiagnostics.Reflection,
        ["System.Type.GetTypeFromCLSID"] = ScriptDiagnostics.Reflection,
        ["System.Type.ReflectionOnlyGetType"] = ScriptDiagnostics.Reflection,
        ["System.Delegate.DynamicInvoke"] = ScriptDiagnostics.Reflection,
        ["System.Threading.Tasks.Task.Run"] = ScriptDiagnostics.Threads,
        ["System.Threading.Tasks.Task.Factory"] = ScriptDiagnostics.Threads,
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
                case UsingDirectiveSyntax or ExternAliasDirectiveSyntax:
                    // Judged through the names they contain (an alias to a forbidden type is reported at its target).
                    continue;
            }

            var symbolInfo = model.GetSymbolInfo(node, cancellationToken);
            var symbol = symbolInfo.Symbol ?? (symbolInfo.CandidateSymbols.Length > 0 ? symbolInfo.CandidateSymbols[0] : null);
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
            if (model.GetDeclaredSymbol(node, cancellationToken) is { } declared && TypeOf(declared) is { } declaredType
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
            case IMethodSymbol method:
                method = method.ReducedFrom ?? method;
                return ClassifyMember(method.OriginalDefinition) ?? ClassifyTypeArguments(method.TypeArguments);
            case IPropertySymbol or IFieldSymbol or IEventSymbol:
                return ClassifyMember(symbol.OriginalDefinition);
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
        return containingName == "System.Environment" ? ScriptDiagnostics.Environment : ClassifyType(containing);
    }

    static string? ClassifyTypeArguments(IEnumerable<ITypeSymbol> arguments)
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
            case IArrayTypeSymbol array:
                return ClassifyType(array.ElementType);
            case INamedTypeSymbol named:
                return ClassifyNamed(named.OriginalDefinition)
                    ?? (named.ContainingType is { } outer ? ClassifyType(outer) : null)
                    ?? ClassifyTypeArguments(named.TypeArguments);
            default:
                return null;
        }
    }

    static string? ClassifyNamed(INamedTypeSymbol type)
    {
        var name = FullName(type);
        if (ForbiddenTypes.TryGetValue(name, out var id))
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
        return null;
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
