using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// Gathers the items of a collect-all command (Cog 1.0's memory-service pattern): every call of the
/// stage adds its item under the stage's invocation id, and the last call gets them all. What a stage gathered is
/// dropped at its last item, when the command fails, and after <see cref="BuiltInOptions.CollectionExpiry"/> without a
/// new item (a killed pipeline never sends its last item); expired collections are swept on later calls.
/// </summary>
/// <remarks>Thread-safe. The items of one stage arrive one after another (the engine runs a stage's items in order).</remarks>
sealed class ItemCollector(TimeProvider time, TimeSpan expiry)
{
    readonly ConcurrentDictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    long _lastSweep = time.GetTimestamp();

    /// <summary>How many stages have items waiting for their last one.</summary>
    public int Pending => _collections.Count;

    /// <summary>Adds the call's item. Returns <see langword="true"/> with every item of the stage, in order, when it is
    /// the last one; otherwise <see langword="false"/>.</summary>
    public bool Collect(CommandCall call, out ImmutableArray<Value> items)
    {
        Sweep();
        if (call.Step == ItemStep.Last && !_collections.ContainsKey(call.InvocationId))
        {
            items = [call.Item];
            return true;
        }
        var collection = _collections.GetOrAdd(call.InvocationId, static _ => new Collection());
        lock (collection)
        {
            collection.Items.Add(call.Item);
            collection.Touched = time.GetTimestamp();
        }
        if (call.Step != ItemStep.Last)
        {
            items = default;
            return false;
        }
        _collections.TryRemove(call.InvocationId, out _);
        lock (collection)
        {
            items = [.. collection.Items];
        }
        return true;
    }

    /// <summary>Forgets what the stage gathered (the command failed, so the pipeline stops).</summary>
    public void Drop(string invocationId) => _collections.TryRemove(invocationId, out _);

    /// <summary>Drops the collections that saw no new item for the expiry; runs at most every quarter of it.</summary>
    public void Sweep()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < expiry / 4 || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }
        foreach (var (id, collection) in _collections)
        {
            long touched;
            lock (collection)
            {
                touched = collection.Touched;
            }
            if (time.GetElapsedTime(touched, now) >= expiry)
            {
                _collections.TryRemove(id, out _);
            }
        }
    }

    sealed class Collection
    {
        public List<Value> Items { get; } = [];

        public long Touched { get; set; }
    }
}
