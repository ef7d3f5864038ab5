using Cog.Contracts.Relays;

namespace Cog.Relay.Execution;

/// <summary>Where the <see cref="InvocationRunner"/> sends its acks and results: the MQTT session.</summary>
/// <remarks>Thread-safe. Neither method throws for a broken connection.</remarks>
interface IInvocationPublisher
{
    /// <summary>Publishes an ack and waits for the broker to take it (QoS 1) for a subscribed server; while the
    /// connection is down or no server is subscribed, tries again until <paramref name="ackBy"/>.</summary>
    /// <returns>True when a server's subscription took it; false when it could not be sent by <paramref name="ackBy"/>
    /// (the command must then not start: the server will give the request to another relay).</returns>
    Task<bool> PublishAckAsync(InvocationAck ack, DateTimeOffset ackBy, CancellationToken cancellationToken);

    /// <summary>Publishes a result and keeps it until the server's receipt: it is published again after every connect
    /// and at an interval, until the receipt arrives or <paramref name="deadline"/> passes (the server stopped
    /// waiting).</summary>
    Task PublishResultAsync(InvocationResult result, DateTimeOffset deadline, CancellationToken cancellationToken);
}
