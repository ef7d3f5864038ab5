using System.Collections.Immutable;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>What this server knows about every relay it has heard of: online or offline, instance, tags, capacity,
/// reported load, announced bundle versions and failures (docs/protocol.md §6.1, §6.3).</summary>
/// <remarks>
/// <para>Rules: a message whose <c>relay_id</c> differs from the topic's relay id is ignored; an <c>offline</c> status
/// of an instance other than the one last seen is ignored (a late last will of a previous process); an announcement
/// whose sequence is not greater than the last one of the same instance is ignored. A relay counts as ready for
/// invocations only while it is online and its announcement is from its current instance.</para>
/// <para>Relays are never forgotten (an offline relay stays listed for operators). Several servers each keep their
/// own registry.</para>
/// <para>Thread-safe. Updates take a lock and replace the relay's immutable entry; reads on the dispatch hot path see a
/// copy-on-write array and take no lock.</para>
/// </remarks>
public sealed class RelayRegistry
{
    readonly Lock _gate = new();
    readonly TimeProvider _timeProvider;
    readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    RelayEntry[] _entries = [];

    /// <summary>Creates an empty registry.</summary>
    /// <param name="timeProvider">The clock for the times in <see cref="RelaySnapshot"/>.</param>
    public RelayRegistry(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>The current entries, in the order relays were first heard of. Never modified: updates publish a new
    /// array.</summary>
    internal RelayEntry[] Entries => Volatile.Read(ref _entries);

    /// <summary>Applies a <c>status</c> message that arrived on <paramref name="topicRelayId"/>'s topic.</summary>
    public RelayUpdate ApplyStatus(string topicRelayId, RelayStatus status)
    {
        ArgumentNullException.ThrowIfNull(topicRelayId);
        ArgumentNullException.ThrowIfNull(status);
        if (!string.Equals(status.RelayId, topicRelayId, StringComparison.Ordinal))
            return RelayUpdate.RelayIdMismatch;

        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            var existing = Current(topicRelayId);
            if (existing is null)
            {
                Add(RelayEntry.Create(status, now));
                return RelayUpdate.Applied;
            }
            if (status.State == RelayState.Offline
                && !string.Equals(status.InstanceId, existing.Status.InstanceId, StringComparison.Ordinal))
                return RelayUpdate.StaleOffline;
            Replace(existing.With(status, now));
            return RelayUpdate.Applied;
        }
    }

    /// <summary>Raised after an announcement was applied, with the announcing relay's id, on the thread that applied it
    /// (the transport's: a handler must return quickly). Dev mode follows its relay's announcements with it.</summary>
    public event Action<string>? Announced;

    /// <summary>Applies an <c>announce</c> message that arrived on <paramref name="topicRelayId"/>'s topic.</summary>
    public RelayUpdate ApplyAnnouncement(string topicRelayId, BundleAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(topicRelayId);
        ArgumentNullException.ThrowIfNull(announcement);
        if (!string.Equals(announcement.RelayId, topicRelayId, StringComparison.Ordinal))
            return RelayUpdate.RelayIdMismatch;

        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            var existing = Current(topicRelayId);
            if (existing is null)
            {
                Add(RelayEntry.FromAnnouncement(announcement, now));
            }
            else
            {
                if (existing.Announcement is { } last
                    && string.Equals(last.InstanceId, announcement.InstanceId, StringComparison.Ordinal)
                    && announcement.Sequence <= last.Sequence)
                    return RelayUpdate.StaleAnnouncement;
                Replace(existing.With(announcement, now));
            }
        }
        Announced?.Invoke(topicRelayId);
        return RelayUpdate.Applied;
    }

    /// <summary>Every relay heard of, ordered by relay id.</summary>
    public ImmutableArray<RelaySnapshot> Snapshot()
    {
        var entries = Entries;
        var builder = ImmutableArray.CreateBuilder<RelaySnapshot>(entries.Length);
        foreach (var entry in entries)
            builder.Add(entry.ToSnapshot());
        builder.Sort(static (a, b) => string.CompareOrdinal(a.RelayId, b.RelayId));
        return builder.MoveToImmutable();
    }

    /// <summary>The relay <paramref name="relayId"/>, or <see langword="null"/> when this server has not heard of it.</summary>
    public RelaySnapshot? Find(string relayId)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.RelayId, relayId, StringComparison.Ordinal))
                return entry.ToSnapshot();
        }
        return null;
    }

    RelayEntry? Current(string relayId) =>
        _indexById.TryGetValue(relayId, out var index) ? _entries[index] : null;

    void Add(RelayEntry entry)
    {
        var next = new RelayEntry[_entries.Length + 1];
        Array.Copy(_entries, next, _entries.Length);
        next[^1] = entry;
        _indexById[entry.RelayId] = next.Length - 1;
        Volatile.Write(ref _entries, next);
    }

    void Replace(RelayEntry entry)
    {
        var next = (RelayEntry[])_entries.Clone();
        next[_indexById[entry.RelayId]] = entry;
        Volatile.Write(ref _entries, next);
    }
}
