using System.Collections.Immutable;

namespace Cog.Runtime.Pipeline;

/// <summary>What the server could not load from the store (<see cref="StoredObjectProblem"/>), for the readiness check
/// and the web console.</summary>
/// <remarks>Implementations are thread-safe and never throw for a bad stored object: reporting it is their job.</remarks>
public interface IStoredObjectProblems
{
    /// <summary>The stored objects skipped when the current catalog was loaded; empty when everything loads.</summary>
    ValueTask<ImmutableArray<StoredObjectProblem>> GetProblemsAsync(CancellationToken cancellationToken);
}
