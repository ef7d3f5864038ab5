using System.Collections.Concurrent;
using Cog.Language.Values;

namespace Cog.Runtime.BuiltIns;

/// <summary>Keeps <c>tee</c> data in memory, for tests and single-instance servers until a store table backs it: the
/// data is lost on restart and not shared between server instances.</summary>
public sealed class InMemoryNamedDataStore : INamedDataStore
{
    readonly ConcurrentDictionary<string, Value> _data = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask SaveAsync(string name, Value data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        _data[name] = data;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<Value?> LoadAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ValueTask.FromResult(_data.TryGetValue(name, out var data) ? data : null);
    }
}
