using System.Collections.Concurrent;
using System.Text.Json;
using Cog.Sdk;

namespace Cog.Relay.Execution;

/// <summary>
/// The pipeline stores (Cog 1.0's memory service, <see cref="IPipelineStore"/>) of this relay: one in-memory store per
/// pipeline id, dropped after <see cref="IdleExpiry"/> without use; at most <see cref="MaxPipelines"/> are kept (the
/// least recently used go first).
/// </summary>
/// <remarks>
/// <para>A relay-local store: it holds what the commands of a pipeline stored <em>on this relay</em>. A stage whose
/// items run on several relays does not share one store; a server-side store (Cog 1.0's) replaces this later.</para>
/// <para>Thread-safe. An invocation holds its store through a <see cref="Lease"/>; a leased store is never dropped,
/// so every invocation of a pipeline that overlaps another sees the same store. Dropping is a sweep that runs on one
/// thread at a time, at most once per <see cref="SweepInterval"/> unless more than <see cref="MaxPipelines"/> stores
/// are kept; a sweep over the maximum drops down to 90 % of it, so the next one is due only after a tenth of the
/// maximum new pipelines.</para>
/// </remarks>
sealed class PipelineStores(TimeProvider time, TimeSpan idleExpiry, int maxPipelines)
{
    /// <summary>How often idle stores are looked for when the maximum is not exceeded.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<string, Entry> _stores = new(StringComparer.Ordinal);
    // Kept beside the dictionary: ConcurrentDictionary.Count takes every lock, too dear to read on each invocation.
    int _count;
    int _sweeping;
    long _lastSweep = time.GetTimestamp();

    /// <summary>Stores kept for 1 hour idle, 10 000 pipelines at most.</summary>
    public PipelineStores(TimeProvider time)
        : this(time, TimeSpan.FromHours(1), 10_000)
    {
    }

    /// <summary>How long a store is kept without being used.</summary>
    public TimeSpan IdleExpiry { get; } = idleExpiry;

    /// <summary>How many pipelines' stores are kept at most (more only while more are leased at once).</summary>
    public int MaxPipelines { get; } = maxPipelines;

    /// <summary>How many stores are kept now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The store of <paramref name="pipelineId"/>, created when needed, held until the lease is disposed.</summary>
    public Lease Acquire(string pipelineId)
    {
        var now = time.GetTimestamp();
        SweepIfDue(now);
        while (true)
        {
            if (!_stores.TryGetValue(pipelineId, out var entry))
            {
                var created = new Entry(now);
                entry = _stores.GetOrAdd(pipelineId, created);
                if (ReferenceEquals(entry, created))
                {
                    Interlocked.Increment(ref _count);
                }
            }
            if (entry.TryAcquire(now))
            {
                return new Lease(entry, time);
            }
            // A sweep dropped this entry between the lookup and the lease; it is leaving the dictionary.
            Remove(pipelineId, entry);
        }
    }

    void SweepIfDue(long now)
    {
        var due = Count >= MaxPipelines || time.GetElapsedTime(Volatile.Read(ref _lastSweep), now) >= SweepInterval;
        if (!due || Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return;
        }
        try
        {
            Volatile.Write(ref _lastSweep, now);
            Sweep(now);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    // Enumerating a ConcurrentDictionary is safe while other threads add and remove (it sees some moment's entries);
    // copying it (ToArray, OrderBy, new List) is not: its size is read before the copy, and a concurrent add makes the
    // copy throw.
    void Sweep(long now)
    {
        var idle = new List<(string Id, Entry Entry, long LastUsed)>();
        foreach (var (id, entry) in _stores)
        {
            if (!entry.IsIdle(out var lastUsed))
            {
                continue;
            }
            if (time.GetElapsedTime(lastUsed, now) >= IdleExpiry)
            {
                if (entry.TryDrop(lastUsed))
                {
                    Remove(id, entry);
                }
            }
            else
            {
                idle.Add((id, entry, lastUsed));
            }
        }
        var keep = MaxPipelines - (MaxPipelines / 10);
        if (Count <= MaxPipelines || idle.Count == 0)
        {
            return;
        }
        idle.Sort(static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
        foreach (var (id, entry, lastUsed) in idle)
        {
            if (Count <= keep)
            {
                break;
            }
            // Dropped only if nobody used it since it was looked at: a store in use is never taken away.
            if (entry.TryDrop(lastUsed))
            {
                Remove(id, entry);
            }
        }
    }

    void Remove(string id, Entry entry)
    {
        if (_stores.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>One invocation's hold on its pipeline's store; disposing it marks the store as used now.</summary>
    public sealed class Lease : IDisposable
    {
        readonly TimeProvider _time;
        Entry? _entry;

        internal Lease(Entry entry, TimeProvider time)
        {
            _entry = entry;
            _time = time;
            Store = entry.Store;
        }

        /// <summary>The pipeline's store.</summary>
        public IPipelineStore Store { get; }

        public void Dispose() => Interlocked.Exchange(ref _entry, null)?.Release(_time.GetTimestamp());
    }

    /// <summary>A store, how many leases hold it and when it was last used; once dropped it is never leased again.</summary>
    internal sealed class Entry(long created)
    {
        readonly Lock _lock = new();
        long _lastUsed = created;
        int _leases;
        bool _dropped;

        public MemoryPipelineStore Store { get; } = new();

        public bool TryAcquire(long now)
        {
            lock (_lock)
            {
                if (_dropped)
                {
                    return false;
                }
                _leases++;
                _lastUsed = now;
                return true;
            }
        }

        public void Release(long now)
        {
            lock (_lock)
            {
                _leases--;
                _lastUsed = now;
            }
        }

        /// <summary>Whether no lease holds the store, and when it was last used.</summary>
        public bool IsIdle(out long lastUsed)
        {
            lock (_lock)
            {
                lastUsed = _lastUsed;
                return _leases == 0 && !_dropped;
            }
        }

        /// <summary>Drops the store if no lease holds it and it was not used after <paramref name="lastUsed"/>.</summary>
        public bool TryDrop(long lastUsed)
        {
            lock (_lock)
            {
                _dropped |= _leases == 0 && _lastUsed == lastUsed;
                return _dropped;
            }
        }
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
