using Cog.Contracts.Relays;

namespace Cog.Relay.Execution;

/// <summary>Where the <see cref="InvocationRunner"/> sends its acks and results: the MQTT session.</summary>
/// <remarks>Thread-safe. Neither method throws for a broken connection.</remarks>
interface IInvocationPublisher
{
    /// <summary>Publishes an ack and waits for the broker to take it (QoS 1).</summary>
    /// <returns>True when the broker took it; false when it could not be sent (the command must then not start:
    /// the server will give the request to another relay).</returns>
    Task<bool> PublishAckAsync(InvocationAck ack, CancellationToken cancellationToken);

    /// <summary>Publishes a result; when the connection is down, keeps it and publishes it after the next connect,
    /// unless <paramref name="deadline"/> has passed by then (the server stopped waiting).</summary>
    Task PublishResultAsync(InvocationResult result, DateTimeOffset deadline, CancellationToken cancellationToken);
}
