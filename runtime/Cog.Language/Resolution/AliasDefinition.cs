using Cog.Language.Pipelines;

namespace Cog.Language.Resolution;

/// <summary>A user or site alias: a name that stands for a pipeline.</summary>
/// <param name="Name">The alias name (invocable only if it lexes as a command name).</param>
/// <param name="PipelineText">The pipeline text as the user wrote it, for <c>alias info</c> and <c>which</c>.</param>
/// <param name="Pipeline"><paramref name="PipelineText"/> parsed; spans in it refer to that text.</param>
public sealed record AliasDefinition(string Name, string PipelineText, PipelineSyntax Pipeline);
