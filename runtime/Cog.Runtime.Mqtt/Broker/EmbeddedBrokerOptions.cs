using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Mqtt.Broker;

/// <summary>Settings of the <see cref="EmbeddedBroker"/>.</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>The TCP port; default 1883 (8883 is the convention with TLS). 0 picks a free port, which
    /// <see cref="EmbeddedBroker.Port"/> then reports (for tests).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>The address to listen on; default the IPv4 loopback, so nothing outside the machine can connect
    /// until an operator chooses to expose the broker.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The largest application message payload the broker forwards, in bytes; larger publishes are dropped.
    /// Default <see cref="ProtocolSerializer.DefaultMaxPayloadBytes"/> (8 MiB), the readers' own limit.</summary>
    public int MaxPayloadBytes { get; init; } = ProtocolSerializer.DefaultMaxPayloadBytes;

    /// <summary>When set, the broker speaks MQTT over TLS with this certificate (which must hold its private key)
    /// and accepts no plain-text connection.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>A TLS listener beside the plain one (ignored with <see cref="TlsCertificate"/>): relays on other machines
    /// use it while the plain listener, typically on loopback, serves the server's own connection.</summary>
    public EmbeddedBrokerTlsListener? TlsListener { get; init; }
}

/// <summary>A TLS listener of the <see cref="EmbeddedBroker"/>.</summary>
/// <param name="BindAddress">The address to listen on.</param>
/// <param name="Port">The port; 0 picks a free one (<see cref="EmbeddedBroker.TlsPort"/> reports it).</param>
/// <param name="Certificate">The certificate, with its private key, asked for at every TLS handshake, so a renewed
/// certificate is served without a restart.</param>
public sealed record EmbeddedBrokerTlsListener(IPAddress BindAddress, int Port, Func<X509Certificate2> Certificate);
