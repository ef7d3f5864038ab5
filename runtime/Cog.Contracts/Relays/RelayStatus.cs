using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>Whether a relay is connected and how busy it is. Published by the relay, retained, on
/// <see cref="RelayTopic.Status"/>; the offline form is also the relay's MQTT last will.</summary>
/// <param name="RelayId">The relay's id (the same as in the topic and the MQTT username).</param>
/// <param name="InstanceId">A random id the relay process chooses when it starts; lets the server ignore a late
/// last will of a previous process of the same relay.</param>
/// <param name="State">Online or offline.</param>
/// <param name="RelayVersion">The relay software's version, for operators (e.g. <c>1.0.0</c>).</param>
/// <param name="Tags">Free-form tags the operator gave the relay; commands may target a tag.</param>
/// <param name="Capacity">How many invocations the relay runs at once (at least 1).</param>
/// <param name="Load">How many invocations it is running now (0 when offline).</param>
/// <param name="Isolation">How the relay confines bundle code, mechanism by mechanism; absent from relays that
/// predate it.</param>
public sealed record RelayStatus(
    string RelayId,
    string InstanceId,
    RelayState State,
    string RelayVersion,
    ImmutableArray<string> Tags,
    int Capacity,
    int Load,
    ImmutableArray<RelayIsolationMechanism>? Isolation = null) : ProtocolMessage(MessageTypes.Status);

/// <summary>One mechanism confining a relay's bundle code, as its <c>status</c> reports it.</summary>
/// <param name="Name">The mechanism, e.g. <c>bubblewrap</c>, <c>separate-user</c>, <c>network-namespace</c>.</param>
/// <param name="Available">Whether it is in force.</param>
/// <param name="Detail">What it does on that relay, or why it is missing.</param>
public sealed record RelayIsolationMechanism(string Name, bool Available, string Detail);

/// <summary>Whether a relay is connected.</summary>
[JsonConverter(typeof(StrictEnumConverter<RelayState>))]
public enum RelayState
{
    /// <summary>Connected and taking invocations (<c>online</c>).</summary>
    [JsonStringEnumMemberName("online")]
    Online,

    /// <summary>Disconnected, cleanly or not (<c>offline</c>).</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,
}
