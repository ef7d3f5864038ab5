using System.Collections.Immutable;
using Cog.Language.Pipelines;

namespace Cog.Language.Resolution;

/// <summary>A pipeline whose stages are all concrete bundle commands: aliases expanded, sub-commands joined.</summary>
/// <param name="Stages">The stages in execution order; never empty.</param>
/// <param name="Redirect">The redirect that applies: the one the user wrote, else the one an alias in the last stage
/// brought; <see langword="null"/> for "here". An alias's redirect has spans in the alias text.</param>
public sealed record ResolvedPipeline(ImmutableArray<ResolvedStage> Stages, RedirectSyntax? Redirect);
