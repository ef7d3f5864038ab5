using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>Receives what relays publish, already read and validated by the transport (a payload that is not a valid
/// message never gets here: the transport logs <see cref="ProtocolSerializer"/>'s error and drops it).
/// <see cref="RelayDispatcher"/> implements it.</summary>
/// <remarks>
/// <para><b>Threading contract.</b> The transport may call these methods from any thread, and concurrently with
/// <see cref="RelayDispatcher.DispatchAsync"/>; the MQTT transport delivers one message at a time, in the order the
/// broker delivered them. Implementations are thread-safe, return quickly (they run on the transport's receive loop:
/// no I/O may be awaited there) and do not throw; a transport logs and swallows an exception from a handler, so a bug
/// in one message's handling never disconnects the bus.</para>
/// <para>The <c>relayId</c> argument is the relay id taken from the topic, which the broker's permissions bind to the
/// publisher; the payload's own <c>relay_id</c> must equal it (docs/protocol.md §6), which the handler checks.</para>
/// </remarks>
public interface IRelayMessageHandler
{
    /// <summary>A <c>status</c> message arrived on <c>cog/v1/relays/RELAY_ID/status</c>.</summary>
    void OnStatus(string relayId, RelayStatus status);

    /// <summary>An <c>announce</c> message arrived on <c>cog/v1/relays/RELAY_ID/announce</c>.</summary>
    void OnAnnounce(string relayId, BundleAnnouncement announcement);

    /// <summary>An <c>ack</c> message arrived on <c>cog/v1/relays/RELAY_ID/acks</c>.</summary>
    void OnAck(string relayId, InvocationAck ack);

    /// <summary>A <c>result</c> message arrived on <c>cog/v1/relays/RELAY_ID/results</c>.</summary>
    void OnResult(string relayId, InvocationResult result);
}
