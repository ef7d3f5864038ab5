namespace Cog.Relay.Execution;

/// <summary>The last <see cref="Capacity"/> request ids seen, to ignore QoS 1 redeliveries (protocol §8.2 rule 5) in
/// bounded memory. Not thread-safe: the caller locks.</summary>
sealed class RecentRequestIds(int capacity)
{
    readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    readonly Queue<string> _order = new();

    /// <summary>How many ids are remembered; the oldest is forgotten first.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Remembers <paramref name="id"/>; false when it was already remembered.</summary>
    public bool Add(string id)
    {
        if (!_ids.Add(id))
        {
            return false;
        }
        _order.Enqueue(id);
        if (_order.Count > Capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
        return true;
    }
}
