using Cog.Runtime.Chat;

namespace Cog.Runtime.Slack.Events;

/// <summary>The in-memory <see cref="IChatDeliveryClaims"/> of a provider running alone (no store shared with other
/// servers; in a server the claims are in the store). Remembers delivery keys for a while so that Slack's at-least-once
/// deliveries reach Cog once (Slack's Events and Socket Mode retries): redeliveries repeat the <c>event_id</c>; one
/// message subscribed as both <c>message</c> and
/// <c>app_mention</c> shares its channel and <c>ts</c>. Memory is bounded: keys expire after the window, and the oldest
/// go first when the capacity is reached.</summary>
/// <remarks>Thread-safe.</remarks>
sealed class DeliveryDeduper(TimeSpan window, int capacity, TimeProvider time) : IChatDeliveryClaims
{
    readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    readonly Queue<(string Key, DateTimeOffset At)> _order = new();
    readonly Lock _lock = new();

    /// <summary>Whether none of <paramref name="keys"/> was seen within the window; if so, all are remembered now.</summary>
    public bool IsFirst(params ReadOnlySpan<string> keys)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Forget(now);
            foreach (var key in keys)
            {
                if (_seen.ContainsKey(key))
                    return false;
            }
            foreach (var key in keys)
            {
                _seen[key] = now;
                _order.Enqueue((key, now));
            }
            return true;
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryClaimAsync(string provider, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsFirst([.. keys]));

    /// <summary>How many keys are remembered (tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _seen.Count;
        }
    }

    void Forget(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && (now - oldest.At >= window || _order.Count >= capacity))
        {
            _order.Dequeue();
            if (_seen.TryGetValue(oldest.Key, out var at) && at == oldest.At)
                _seen.Remove(oldest.Key);
        }
    }
}
