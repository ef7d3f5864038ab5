using System.Collections.Immutable;
using Cog.Language.Options;
using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Resolution;

/// <summary>One resolved invocation of a bundle command.</summary>
/// <param name="Bundle">The bundle; it is enabled.</param>
/// <param name="Command">The command of the bundle's enabled version.</param>
/// <param name="Arguments">The arguments to bind: the stage's own arguments without the words joined into the
/// command name, followed by the arguments given to the alias(es) the stage came from.</param>
/// <param name="Join">How the stage is joined to the previous one (<see cref="StageJoin.None"/> for the first).</param>
/// <param name="Span">The stage the user wrote that produced this stage; several stages share it when the user's
/// stage was an alias. Errors about the stage point here.</param>
/// <param name="Aliases">The aliases the stage was expanded from, the one the user wrote first and the one whose text
/// named the command last; empty when the user named the command directly. When there are any, argument spans may
/// refer to alias text rather than to the user's text.</param>
public sealed record ResolvedStage(
    InstalledBundle Bundle,
    BundleCommand Command,
    ImmutableArray<ArgumentSyntax> Arguments,
    StageJoin Join,
    SourceSpan Span,
    ImmutableArray<AliasExpansion> Aliases)
{
    /// <summary>The bundle's enabled version.</summary>
    public string Version => Bundle.EnabledVersion ?? throw new InvalidOperationException($"Bundle '{Bundle.Name}' is disabled.");

    /// <summary>The command's option definitions.</summary>
    public IReadOnlyList<OptionDefinition> Options => Command.Options;

    /// <summary>The fully qualified name, <c>bundle:command</c>, as errors and the audit log print it.</summary>
    public string QualifiedName => $"{Bundle.Name}:{Command.Name}";
}
