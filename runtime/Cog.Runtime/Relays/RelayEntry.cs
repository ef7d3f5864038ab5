using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>One relay in <see cref="RelayRegistry"/>: an immutable pair of its last applied status and announcement,
/// replaced as a whole on every change, so readers on the dispatch hot path need no lock.</summary>
sealed class RelayEntry
{
    static readonly Dictionary<BundleKey, string> NoBundles = [];

    RelayEntry(string relayId, RelayStatus status, DateTimeOffset statusAt, BundleAnnouncement? announcement,
        DateTimeOffset? announcedAt, Dictionary<BundleKey, string> digests, InFlightCounter inFlight)
    {
        RelayId = relayId;
        Status = status;
        StatusAt = statusAt;
        Announcement = announcement;
        AnnouncedAt = announcedAt;
        Digests = digests;
        InFlight = inFlight;
        // A relay runs only what its current process announced: after a restart, the previous process's retained
        // announcement does not count until the new one arrives.
        IsReady = status.State == RelayState.Online && announcement is not null
            && string.Equals(announcement.InstanceId, status.InstanceId, StringComparison.Ordinal);
    }

    public string RelayId { get; }

    public RelayStatus Status { get; }

    public DateTimeOffset StatusAt { get; }

    public BundleAnnouncement? Announcement { get; }

    public DateTimeOffset? AnnouncedAt { get; }

    /// <summary>Digest by bundle version, of the announcement (whatever its instance).</summary>
    public Dictionary<BundleKey, string> Digests { get; }

    /// <summary>This server's invocations to the relay that have not ended; shared by every entry of the relay.</summary>
    public InFlightCounter InFlight { get; }

    /// <summary>Online, and its announcement is from the current instance.</summary>
    public bool IsReady { get; }

    public static RelayEntry Create(RelayStatus status, DateTimeOffset at) =>
        new(status.RelayId, status, at, null, null, NoBundles, new InFlightCounter());

    /// <summary>An entry for a relay known only from its announcement (its status has not arrived yet): offline until
    /// it does.</summary>
    public static RelayEntry FromAnnouncement(BundleAnnouncement announcement, DateTimeOffset at)
    {
        var status = new RelayStatus(announcement.RelayId, announcement.InstanceId, RelayState.Offline, "", [], 1, 0);
        return Create(status, at).With(announcement, at);
    }

    public RelayEntry With(RelayStatus status, DateTimeOffset at) =>
        new(RelayId, status, at, Announcement, AnnouncedAt, Digests, InFlight);

    public RelayEntry With(BundleAnnouncement announcement, DateTimeOffset at)
    {
        var digests = new Dictionary<BundleKey, string>(announcement.Bundles.Length);
        foreach (var bundle in announcement.Bundles)
            digests[new BundleKey(bundle.Name, bundle.Version)] = bundle.Digest;
        return new(RelayId, Status, StatusAt, announcement, at, digests, InFlight);
    }

    public bool Serves(string bundle, string version, string digest) =>
        Digests.TryGetValue(new BundleKey(bundle, version), out var announced)
        && string.Equals(announced, digest, StringComparison.Ordinal);

    public bool HasTag(string tag)
    {
        foreach (var candidate in Status.Tags)
        {
            if (string.Equals(candidate, tag, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    public RelaySnapshot ToSnapshot()
    {
        var current = Announcement is not null
            && string.Equals(Announcement.InstanceId, Status.InstanceId, StringComparison.Ordinal);
        return new RelaySnapshot(RelayId, Status.State, Status.InstanceId, Status.RelayVersion, Status.Tags,
            Status.Capacity, Status.Load, InFlight.Value,
            current ? Announcement!.Bundles : [], current ? Announcement!.Failures : [], StatusAt, AnnouncedAt, Status.Isolation);
    }
}

/// <summary>A bundle version, as a dictionary key.</summary>
readonly record struct BundleKey(string Name, string Version);

/// <summary>A count updated with <see cref="Interlocked"/>.</summary>
sealed class InFlightCounter
{
    int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Decrement() => Interlocked.Decrement(ref _value);
}
