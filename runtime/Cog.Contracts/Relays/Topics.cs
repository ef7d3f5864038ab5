using System.Diagnostics.CodeAnalysis;

namespace Cog.Contracts.Relays;

/// <summary>Builds, parses and checks the MQTT topic names of the relay protocol.</summary>
/// <remarks>
/// Every topic of a relay lies under <c>cog/v1/relays/RELAY_ID/</c>, so a broker can confine a relay to its own
/// subtree (docs/protocol.md, "Access control"). A relay id is 1 to 64 characters from <c>a-z</c>, <c>0-9</c> and
/// <c>-</c> (a lowercase UUID qualifies); this rules out the MQTT wildcards <c>+</c> and <c>#</c> and the level
/// separator <c>/</c>. Pure functions; thread-safe.
/// </remarks>
public static class Topics
{
    /// <summary>The prefix of every relay topic: <c>cog/v1/relays</c>.</summary>
    public const string Prefix = "cog/v1/relays";

    /// <summary>The longest relay id.</summary>
    public const int MaxRelayIdLength = 64;

    static readonly string[] Names = ["status", "announce", "assignments", "invocations", "acks", "results", "cancels", "receipts"];

    /// <summary>Whether <paramref name="relayId"/> is a valid relay id.</summary>
    public static bool IsValidRelayId([NotNullWhen(true)] string? relayId)
    {
        if (relayId is null || relayId.Length is 0 or > MaxRelayIdLength)
            return false;
        foreach (var c in relayId)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                return false;
        }
        return true;
    }

    /// <summary>The topic name of <paramref name="topic"/> for one relay, e.g. <c>cog/v1/relays/web-7/invocations</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="relayId"/> is not a valid relay id.</exception>
    public static string For(string relayId, RelayTopic topic)
    {
        if (!IsValidRelayId(relayId))
            throw new ArgumentException(ProtocolErrors.InvalidRelayId(relayId), nameof(relayId));
        return $"{Prefix}/{relayId}/{NameOf(topic)}";
    }

    /// <summary>The filter matching <paramref name="topic"/> of every relay, e.g. <c>cog/v1/relays/+/results</c>
    /// (what a server subscribes to).</summary>
    public static string ForAllRelays(RelayTopic topic) => $"{Prefix}/+/{NameOf(topic)}";

    /// <summary>The filter matching every topic of one relay: <c>cog/v1/relays/RELAY_ID/#</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="relayId"/> is not a valid relay id.</exception>
    public static string AllOf(string relayId)
    {
        if (!IsValidRelayId(relayId))
            throw new ArgumentException(ProtocolErrors.InvalidRelayId(relayId), nameof(relayId));
        return $"{Prefix}/{relayId}/#";
    }

    /// <summary>The last level of <paramref name="topic"/>'s name (<c>status</c>, <c>invocations</c>...).</summary>
    public static string NameOf(RelayTopic topic) =>
        (uint)topic < (uint)Names.Length ? Names[(int)topic] : throw new ArgumentOutOfRangeException(nameof(topic));

    /// <summary>Whether the relay publishes on <paramref name="topic"/> (otherwise the server does).</summary>
    public static bool IsPublishedByRelay(RelayTopic topic) =>
        topic is RelayTopic.Status or RelayTopic.Announce or RelayTopic.Acks or RelayTopic.Results;

    /// <summary>Splits a topic name of the protocol into relay id and topic.</summary>
    /// <returns><see langword="false"/> for anything else: another prefix, an invalid relay id, an unknown last level,
    /// extra levels or wildcards.</returns>
    public static bool TryParse(string? topicName, [NotNullWhen(true)] out string? relayId, out RelayTopic topic)
    {
        relayId = null;
        topic = default;
        if (topicName is null || topicName.Length <= Prefix.Length + 1
            || !topicName.StartsWith(Prefix, StringComparison.Ordinal) || topicName[Prefix.Length] != '/')
            return false;
        var rest = topicName.AsSpan(Prefix.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash < 0)
            return false;
        var id = rest[..slash];
        var name = rest[(slash + 1)..];
        var index = IndexOfName(name);
        if (index < 0)
            return false;
        var idText = id.ToString();
        if (!IsValidRelayId(idText))
            return false;
        relayId = idText;
        topic = (RelayTopic)index;
        return true;
    }

    static int IndexOfName(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
                return i;
        }
        return -1;
    }

    /// <summary>Whether the relay <paramref name="relayId"/> may publish on <paramref name="topicName"/>: only on its own
    /// status, announce, acks and results topics. For a broker's authorization hook.</summary>
    public static bool RelayMayPublish(string relayId, string topicName) =>
        TryParse(topicName, out var owner, out var topic) && owner == relayId && IsPublishedByRelay(topic);

    /// <summary>Whether the relay <paramref name="relayId"/> may subscribe to <paramref name="topicFilter"/>: only its
    /// own assignments, invocations, cancels and receipts topics, without wildcards. For a broker's authorization hook.</summary>
    public static bool RelayMaySubscribe(string relayId, string topicFilter) =>
        TryParse(topicFilter, out var owner, out var topic) && owner == relayId && !IsPublishedByRelay(topic);
}
