namespace Cog.Runtime.Relays;

/// <summary>What <see cref="RelayRegistry"/> did with a <c>status</c> or <c>announce</c> message.</summary>
public enum RelayUpdate
{
    /// <summary>The message was applied.</summary>
    Applied,

    /// <summary>Ignored: the payload's <c>relay_id</c> differs from the relay id in the topic.</summary>
    RelayIdMismatch,

    /// <summary>Ignored: an <c>offline</c> status of an instance other than the one last seen (a late last will of a
    /// previous relay process).</summary>
    StaleOffline,

    /// <summary>Ignored: an announcement whose sequence is not greater than the last one of the same instance.</summary>
    StaleAnnouncement,
}
