using Cog.Language.Values;

namespace Cog.Runtime.BuiltIns;

/// <summary>Where <c>tee</c> saves pipeline data under a global name and <c>cat</c> reads it back.</summary>
/// <remarks>Names are global (any user reads any name unless rules on <c>operable:cat</c> say otherwise, as in Cog 1.0).
/// Implementations are thread-safe; saving replaces what was saved under the name.</remarks>
public interface INamedDataStore
{
    /// <summary>Saves <paramref name="data"/> (an object or a list of objects) under <paramref name="name"/>.</summary>
    ValueTask SaveAsync(string name, Value data, CancellationToken cancellationToken);

    /// <summary>What was saved under <paramref name="name"/>, or <see langword="null"/>.</summary>
    ValueTask<Value?> LoadAsync(string name, CancellationToken cancellationToken);
}
