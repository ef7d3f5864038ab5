using System.Collections.Concurrent;
using System.Text.Json;
using Cog.Sdk;

namespace Cog.Relay.Tests.Support;

/// <summary>A thread-safe in-memory <see cref="IPipelineStore"/> with Cog 1.0's append semantics.</summary>
public sealed class InMemoryPipelineStore : IPipelineStore
{
    readonly ConcurrentDictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    readonly Lock _appendLock = new();

    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    public ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<JsonElement?>(_values.TryGetValue(key, out var value) ? value : null);

    public ValueTask SetAsync(string key, JsonElement value, CancellationToken cancellationToken = default)
    {
        _values[key] = value.Clone();
        return ValueTask.CompletedTask;
    }

    public ValueTask<JsonElement> AppendAsync(string key, JsonElement value, CancellationToken cancellationToken = default)
    {
        lock (_appendLock)
        {
            var list = new List<JsonElement>();
            if (_values.TryGetValue(key, out var existing))
            {
                if (existing.ValueKind == JsonValueKind.Array)
                {
                    list.AddRange(existing.EnumerateArray());
                }
                else
                {
                    list.Add(existing);
                }
            }
            list.Add(value);
            var appended = JsonSerializer.SerializeToElement(list);
            _values[key] = appended;
            return ValueTask.FromResult(appended);
        }
    }

    public ValueTask<JsonElement?> RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<JsonElement?>(_values.TryRemove(key, out var value) ? value : null);
}
