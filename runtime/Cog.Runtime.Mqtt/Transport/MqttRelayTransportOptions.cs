using System.Security.Cryptography.X509Certificates;
using Cog.Contracts.Relays;
using Cog.Runtime.Mqtt.Broker;

namespace Cog.Runtime.Mqtt.Transport;

/// <summary>Settings of the <see cref="MqttRelayTransport"/>: where the broker is and how the server logs in.</summary>
public sealed class MqttRelayTransportOptions
{
    /// <summary>The broker: <c>mqtt://HOST[:PORT]</c> (plain TCP, port 1883 by default) or <c>mqtts://HOST[:PORT]</c>
    /// (TLS, port 8883 by default).</summary>
    public required Uri BrokerUri { get; init; }

    /// <summary>The server's MQTT username: <see cref="EmbeddedBroker.ServerUserName"/> on the embedded broker, the
    /// account of the ACL's <c>user cog-server</c> line on Mosquitto.</summary>
    public required string UserName { get; init; }

    /// <summary>The server's MQTT password. Never logged.</summary>
    public required string Password { get; init; }

    /// <summary>With <c>mqtts</c>: a certificate authority to trust for the broker's certificate besides the system's
    /// (e.g. a private CA or a self-signed broker certificate). The host name must still match.</summary>
    public X509Certificate2? TlsCaCertificate { get; init; }

    /// <summary>The MQTT client id; <see langword="null"/> (default) picks <see cref="MqttRelayTransport.NewClientId"/>.
    /// Every server sharing a broker needs its own; a server that keeps it across restarts resumes its session.</summary>
    public string? ClientId { get; init; }

    /// <summary>How long the broker keeps this server's session (its subscriptions and the messages relays publish)
    /// after the connection is lost: results and acks published while the server reconnects or restarts wait for it.
    /// Whole seconds, at least 1 s. Default 5 minutes.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The MQTT keep-alive period. Default 30 s.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one connection attempt may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay before reconnecting after the connection is lost; doubled after each failed attempt
    /// up to <see cref="ReconnectMaxDelay"/>. Default 1 s.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between reconnection attempts. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest payload read; larger messages are dropped with a logged error. Default 8 MiB
    /// (<see cref="ProtocolSerializer.DefaultMaxPayloadBytes"/>).</summary>
    public int MaxPayloadBytes { get; init; } = ProtocolSerializer.DefaultMaxPayloadBytes;

    /// <summary>Options for the server's own connection to the embedded <paramref name="broker"/> (its address, port,
    /// TLS and <see cref="EmbeddedBroker.ServerCredentials"/>).</summary>
    /// <param name="broker">The running embedded broker.</param>
    /// <param name="tlsCaCertificate">With a TLS broker, the certificate (or its CA) to trust.</param>
    /// <param name="clientId">The server's client id (<see cref="ClientId"/>); <see langword="null"/> picks a new one.</param>
    public static MqttRelayTransportOptions ForEmbeddedBroker(EmbeddedBroker broker, X509Certificate2? tlsCaCertificate = null, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var host = broker.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1"
            : broker.Address.Equals(System.Net.IPAddress.IPv6Any) ? "[::1]"
            : broker.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{broker.Address}]"
            : broker.Address.ToString();
        return new MqttRelayTransportOptions
        {
            BrokerUri = new Uri($"{(broker.UsesTls ? "mqtts" : "mqtt")}://{host}:{broker.Port}"),
            UserName = broker.ServerCredentials.UserName,
            Password = broker.ServerCredentials.Password,
            TlsCaCertificate = tlsCaCertificate,
            ClientId = clientId,
        };
    }

    internal (string Host, int Port, bool Tls) Validate()
    {
        ArgumentNullException.ThrowIfNull(BrokerUri);
        ArgumentException.ThrowIfNullOrEmpty(UserName);
        ArgumentNullException.ThrowIfNull(Password);
        var tls = BrokerUri.Scheme switch
        {
            "mqtt" => false,
            "mqtts" => true,
            _ => throw new ArgumentException($"The broker URI must start with mqtt:// or mqtts://, not '{BrokerUri.Scheme}://'.", nameof(BrokerUri)),
        };
        if (!BrokerUri.IsAbsoluteUri || string.IsNullOrEmpty(BrokerUri.Host))
            throw new ArgumentException("The broker URI must name a host.", nameof(BrokerUri));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAlive, TimeSpan.Zero, nameof(KeepAlive));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinDelay, TimeSpan.Zero, nameof(ReconnectMinDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectMinDelay, nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPayloadBytes, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(SessionExpiry, TimeSpan.FromSeconds(1), nameof(SessionExpiry));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SessionExpiry, TimeSpan.FromSeconds(uint.MaxValue - 1), nameof(SessionExpiry));
        if (ClientId is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(ClientId, nameof(ClientId));
        var port = BrokerUri.IsDefaultPort || BrokerUri.Port < 0 ? (tls ? 8883 : 1883) : BrokerUri.Port;
        return (BrokerUri.IdnHost, port, tls);
    }
}
