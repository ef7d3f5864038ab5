using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>The variable references of one pipeline text counted against <see cref="PipelineLimits.MaxVariableReferences"/>,
/// with the path limit the variable scanner applies.</summary>
struct VariableCount(PipelineLimits limits)
{
    int _count;

    /// <summary>The most keys and indexes after a variable's name.</summary>
    public readonly int MaxPathLength => limits.MaxVariablePathLength;

    /// <summary>Counts one more reference, found at <paramref name="at"/>.</summary>
    /// <returns><see langword="null"/>, or the error when it is one past the limit.</returns>
    public LanguageError? Add(SourcePosition at) =>
        ++_count > limits.MaxVariableReferences
            ? new LanguageError(PipelineErrors.TooManyVariableReferences(limits.MaxVariableReferences), at)
            : null;
}
