using System.Text.Json;

namespace Cog.Sdk;

/// <summary>
/// A key-value store scoped to one pipeline (Cog 1.0's memory service): data written by one invocation is visible to
/// the later invocations of the same pipeline and is dropped when the pipeline ends.
/// </summary>
/// <remarks>
/// The usual pattern for commands that need all of a stage's items: on every invocation
/// <see cref="AppendAsync"/> the item under <see cref="CommandContext.InvocationId"/>; at
/// <see cref="InvocationStep.Last"/>, read the list, compute, and <see cref="RemoveAsync"/> it.
/// Implementations are thread-safe.
/// </remarks>
public interface IPipelineStore
{
    /// <summary>The value stored under <paramref name="key"/>, or <see langword="null"/>.</summary>
    ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing what was there.</summary>
    ValueTask SetAsync(string key, JsonElement value, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="value"/> to the list under <paramref name="key"/> (Cog 1.0's <c>accum</c>):
    /// a missing key starts an empty list, a non-list value becomes the first element.</summary>
    /// <returns>The list after appending.</returns>
    ValueTask<JsonElement> AppendAsync(string key, JsonElement value, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>.</summary>
    /// <returns>The value that was stored, or <see langword="null"/>.</returns>
    ValueTask<JsonElement?> RemoveAsync(string key, CancellationToken cancellationToken = default);
}
