using System.Collections.Concurrent;
using System.Text.Json;
using Cog.Sdk;

namespace Cog.Relay.Execution;

/// <summary>
/// The pipeline stores (Cog 1.0's memory service, <see cref="IPipelineStore"/>) of this relay: one in-memory store per
/// pipeline id, dropped after <see cref="IdleExpiry"/> without use; at most <see cref="MaxPipelines"/> are kept (the
/// least recently used goes first).
/// </summary>
/// <remarks>A relay-local store: it holds what the commands of a pipeline stored <em>on this relay</em>. A stage whose
/// items run on several relays does not share one store; a server-side store (Cog 1.0's) replaces this later.
/// Thread-safe.</remarks>
sealed class PipelineStores(TimeProvider time, TimeSpan idleExpiry, int maxPipelines)
{
    readonly ConcurrentDictionary<string, Entry> _stores = new(StringComparer.Ordinal);
    readonly Lock _sweepLock = new();
    long _lastSweep;

    /// <summary>Stores kept for 1 hour idle, 10 000 pipelines at most.</summary>
    public PipelineStores(TimeProvider time)
        : this(time, TimeSpan.FromHours(1), 10_000)
    {
    }

    /// <summary>How long a store is kept without being used.</summary>
    public TimeSpan IdleExpiry { get; } = idleExpiry;

    /// <summary>How many pipelines' stores are kept at most.</summary>
    public int MaxPipelines { get; } = maxPipelines;

    /// <summary>How many stores are kept now.</summary>
    public int Count => _stores.Count;

    /// <summary>The store of <paramref name="pipelineId"/>, created when needed.</summary>
    public IPipelineStore For(string pipelineId)
    {
        var now = time.GetTimestamp();
        Sweep(now);
        var entry = _stores.GetOrAdd(pipelineId, static (_, t) => new Entry(t), now);
        entry.Touch(now);
        return entry.Store;
    }

    void Sweep(long now)
    {
        var due = _stores.Count > MaxPipelines || time.GetElapsedTime(Volatile.Read(ref _lastSweep), now) >= TimeSpan.FromMinutes(1);
        if (!due || !_sweepLock.TryEnter())
        {
            return;
        }
        try
        {
            Volatile.Write(ref _lastSweep, now);
            foreach (var (id, entry) in _stores)
            {
                if (time.GetElapsedTime(entry.LastUsed, now) >= IdleExpiry)
                {
                    _stores.TryRemove(id, out _);
                }
            }
            if (_stores.Count > MaxPipelines)
            {
                var oldest = _stores.OrderBy(p => p.Value.LastUsed).Take(_stores.Count - MaxPipelines).Select(p => p.Key).ToList();
                foreach (var id in oldest)
                {
                    _stores.TryRemove(id, out _);
                }
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    sealed class Entry(long created)
    {
        long _lastUsed = created;

        public MemoryPipelineStore Store { get; } = new();

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch(long now) => Volatile.Write(ref _lastUsed, now);
    }
}

/// <summary>One pipeline's keys, with Cog 1.0's <c>accum</c> semantics for <see cref="AppendAsync"/>.</summary>
sealed class MemoryPipelineStore : IPipelineStore
{
    readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    readonly Lock _lock = new();

    /// <summary>A copy of every key and value (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<string, JsonElement> Values
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, JsonElement>(_values, StringComparer.Ordinal);
            }
        }
    }

    public ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<JsonElement?>(_values.TryGetValue(key, out var value) ? value : null);
        }
    }

    public ValueTask SetAsync(string key, JsonElement value, CancellationToken cancellationToken = default)
    {
        var copy = value.Clone();
        lock (_lock)
        {
            _values[key] = copy;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<JsonElement> AppendAsync(string key, JsonElement value, CancellationToken cancellationToken = default)
    {
        lock (_lock)
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
            var appended = JsonSerializer.SerializeToElement(list, PipelineStoreJson.Default.ListJsonElement);
            _values[key] = appended;
            return ValueTask.FromResult(appended);
        }
    }

    public ValueTask<JsonElement?> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<JsonElement?>(_values.Remove(key, out var value) ? value : null);
        }
    }
}
