using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>The message bus between this server and the relays, as the core sees it (docs/protocol.md): sends
/// invocations, cancels and assignments, and delivers what relays publish to an <see cref="IRelayMessageHandler"/>.</summary>
/// <remarks>
/// <para>Implementations (e.g. <c>MqttRelayTransport</c>) are thread-safe: <see cref="RelayDispatcher"/> calls the send
/// methods concurrently. A send completes when the broker has taken the message (MQTT QoS 1: the PUBACK), not when the
/// relay has read it; the protocol's acks and results tell the rest.</para>
/// <para>A send that cannot be completed (no connection, refused by the broker) throws
/// <see cref="RelayTransportException"/>; the caller's cancellation throws <see cref="OperationCanceledException"/>.
/// Nothing else is thrown for an infrastructure failure.</para>
/// </remarks>
public interface IRelayTransport
{
    /// <summary>Publishes <paramref name="request"/> on the relay's <c>invocations</c> topic (not retained), set to
    /// expire at its <see cref="InvocationRequest.AckBy"/>.</summary>
    /// <exception cref="RelayTransportException">The message could not be handed to the broker.</exception>
    ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="cancel"/> on the relay's <c>cancels</c> topic (not retained).</summary>
    /// <exception cref="RelayTransportException">The message could not be handed to the broker.</exception>
    ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="receipt"/> on the relay's <c>receipts</c> topic (not retained): the relay may
    /// forget the result it had kept to publish again.</summary>
    /// <exception cref="RelayTransportException">The message could not be handed to the broker.</exception>
    ValueTask SendReceiptAsync(string relayId, InvocationReceipt receipt, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="assignments"/> on <see cref="BundleAssignments.RelayId"/>'s
    /// <c>assignments</c> topic, <b>retained</b>, so the relay receives it whenever it (re)subscribes.</summary>
    /// <exception cref="RelayTransportException">The message could not be handed to the broker.</exception>
    ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken);
}
