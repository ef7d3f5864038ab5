using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging;
using MQTTnet.Certificates;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Cog.Runtime.Mqtt.Broker;

/// <summary>The MQTT 5 broker embedded in the <c>cog</c> process (MQTTnet.Server): authenticates every client and
/// confines each relay to its own topics (docs/protocol.md §3 and §4).</summary>
/// <remarks>
/// <para>Relays log in with username = relay id, password = token, client id = <c>cog-relay-RELAY_ID</c>; the token
/// is checked against <see cref="IRelayCredentialStore"/>. Cog's own server components log in with
/// <see cref="ServerCredentials"/>, generated at start. Anything else is refused.</para>
/// <para>Denied subscriptions are answered with the MQTT 5 reason code <c>Not authorized</c> (0x87); denied
/// publishes are dropped (a QoS 1 publisher gets <c>Not authorized</c> in its PUBACK) and logged. Tokens and
/// passwords are never logged.</para>
/// <para>Thread-safe. Start with <see cref="StartAsync"/>, stop with <see cref="DisposeAsync"/>.</para>
/// </remarks>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    /// <summary>The username of <see cref="ServerCredentials"/>; the <c>$</c> keeps it out of the relay id space.</summary>
    public const string ServerUserName = "$cog-server";

    /// <summary>The client id prefix every relay must use: <c>cog-relay-</c> followed by its id (docs/protocol.md §2),
    /// so a relay can never take over another relay's session.</summary>
    public const string RelayClientIdPrefix = "cog-relay-";

    readonly MqttServer _server;
    readonly IRelayCredentialStore _credentials;
    readonly ILogger _logger;
    readonly TopicPermissions _permissions;
    readonly byte[] _serverPassword;
    readonly int _maxPayloadBytes;
    int _disposed;

    EmbeddedBroker(MqttServer server, IRelayCredentialStore credentials, ILogger logger, BrokerCredentials serverCredentials,
        IPAddress address, int port, int maxPayloadBytes)
    {
        _server = server;
        _credentials = credentials;
        _logger = logger;
        _permissions = new TopicPermissions(ServerUserName);
        _serverPassword = Encoding.UTF8.GetBytes(serverCredentials.Password);
        _maxPayloadBytes = maxPayloadBytes;
        ServerCredentials = serverCredentials;
        Address = address;
        Port = port;
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
    }

    /// <summary>The address the broker listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The port the broker listens on (the one chosen when the options asked for port 0).</summary>
    public int Port { get; }

    /// <summary>Whether the broker speaks TLS.</summary>
    public bool UsesTls { get; private init; }

    /// <summary>The port of the TLS listener beside the plain one (<see cref="EmbeddedBrokerOptions.TlsListener"/>), if any.</summary>
    public int? TlsPort { get; private init; }

    /// <summary>The login of Cog's own server components (the in-process dispatcher): may publish and subscribe
    /// anywhere under <c>cog/v1/relays/</c>. Valid while this broker runs; never log the password.</summary>
    public BrokerCredentials ServerCredentials { get; }

    /// <summary>Starts a broker listening with <paramref name="options"/>.</summary>
    /// <exception cref="SocketException">The address or port cannot be bound.</exception>
    public static async Task<EmbeddedBroker> StartAsync(EmbeddedBrokerOptions options, IRelayCredentialStore credentials,
        ILogger<EmbeddedBroker> logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPayloadBytes);
        cancellationToken.ThrowIfCancellationRequested();

        var port = options.Port == 0 ? FreePort(options.BindAddress) : options.Port;
        // Persistent sessions: a client that asks for a session expiry (the server and the relays do) finds its
        // subscriptions and what was published for it meanwhile when it reconnects (docs/protocol.md §2).
        var builder = new MqttServerOptionsBuilder().WithPersistentSessions();
        if (options.TlsCertificate is { } certificate)
        {
            builder.WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointPort(port)
                .WithEncryptionCertificate(certificate);
            _ = options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6
                ? builder.WithEncryptedEndpointBoundIPV6Address(options.BindAddress)
                : builder.WithEncryptedEndpointBoundIPAddress(options.BindAddress);
        }
        else
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointPort(port);
            _ = options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6
                ? builder.WithDefaultEndpointBoundIPV6Address(options.BindAddress)
                : builder.WithDefaultEndpointBoundIPAddress(options.BindAddress);
        }
        int? tlsPort = null;
        if (options.TlsCertificate is null && options.TlsListener is { } listener)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(listener.Port);
            tlsPort = listener.Port == 0 ? FreePort(listener.BindAddress) : listener.Port;
            builder.WithEncryptedEndpoint()
                .WithEncryptedEndpointPort(tlsPort.Value)
                .WithEncryptionCertificate(new CertificateSource(listener.Certificate));
            _ = listener.BindAddress.AddressFamily == AddressFamily.InterNetworkV6
                ? builder.WithEncryptedEndpointBoundIPV6Address(listener.BindAddress)
                : builder.WithEncryptedEndpointBoundIPAddress(listener.BindAddress);
        }

        var server = new MqttServerFactory().CreateMqttServer(builder.Build());
        var serverCredentials = new BrokerCredentials(ServerUserName, RelayToken.Generate());
        var broker = new EmbeddedBroker(server, credentials, logger, serverCredentials, options.BindAddress, port, options.MaxPayloadBytes)
        {
            UsesTls = options.TlsCertificate is not null,
            TlsPort = tlsPort,
        };
        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        BrokerLog.Started(logger, options.BindAddress.ToString(), port, broker.UsesTls ? "mqtts" : "mqtt");
        if (tlsPort is { } listening)
            BrokerLog.Started(logger, options.TlsListener!.BindAddress.ToString(), listening, "mqtts");
        return broker;
    }

    /// <summary>Stops listening and disconnects every client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
            CryptographicOperations.ZeroMemory(_serverPassword);
            BrokerLog.Stopped(_logger);
        }
    }

    /// <summary>Binds port 0 to let the system choose a free port, then releases it for the broker (MQTTnet does not
    /// report the port it bound). Another process could take it in between; acceptable for tests on loopback.</summary>
    static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Hands MQTTnet the listener's certificate at every handshake.</summary>
    sealed class CertificateSource(Func<X509Certificate2> certificate) : ICertificateProvider
    {
        public X509Certificate2 GetCertificate() => certificate();
    }

    async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var endpoint = e.RemoteEndPoint?.ToString() ?? "?";
        var userName = e.UserName;
        if (string.IsNullOrEmpty(userName))
        {
            BrokerLog.NoUserName(_logger, endpoint);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }

        if (_permissions.IsServer(userName))
        {
            var given = Encoding.UTF8.GetBytes(e.Password ?? "");
            if (!CryptographicOperations.FixedTimeEquals(given, _serverPassword))
            {
                BrokerLog.WrongServerPassword(_logger, endpoint);
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }
            return;
        }

        if (!Topics.IsValidRelayId(userName))
        {
            RelayToken.VerifyNothing(e.Password);
            BrokerLog.InvalidRelayId(_logger, endpoint);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }

        RelayCredential? credential;
        try
        {
            credential = await _credentials.FindAsync(userName, e.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            BrokerLog.StoreFailed(_logger, exception, userName, endpoint);
            e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            return;
        }

        if (credential is null)
        {
            RelayToken.VerifyNothing(e.Password);
            BrokerLog.UnknownRelay(_logger, userName, endpoint);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }
        if (!RelayToken.Verify(e.Password, credential.TokenHash))
        {
            BrokerLog.WrongToken(_logger, userName, endpoint);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }
        if (!credential.Enabled)
        {
            BrokerLog.DisabledRelay(_logger, userName, endpoint);
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            return;
        }
        var expectedClientId = RelayClientIdPrefix + userName;
        if (!string.Equals(e.ClientId, expectedClientId, StringComparison.Ordinal))
        {
            BrokerLog.WrongClientId(_logger, userName, endpoint, expectedClientId, e.ClientId ?? "");
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            return;
        }
        BrokerLog.RelayConnected(_logger, userName, endpoint);
    }

    Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic ?? "";
        if (e.UserName is null || !_permissions.MaySubscribe(e.UserName, filter))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            BrokerLog.SubscriptionDenied(_logger, e.UserName ?? "?", e.ClientId ?? "?", filter);
        }
        return Task.CompletedTask;
    }

    Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Every network client has a username (ValidateConnectionAsync refuses the others), so a message without one
        // was injected by in-process code through MqttServer.InjectApplicationMessage, which is trusted.
        if (e.UserName is null)
            return Task.CompletedTask;

        var topic = e.ApplicationMessage.Topic ?? "";
        if (!_permissions.MayPublish(e.UserName, topic))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            BrokerLog.PublishDenied(_logger, e.UserName, e.ClientId ?? "?", topic);
            return Task.CompletedTask;
        }
        var size = e.ApplicationMessage.Payload.Length;
        if (size > _maxPayloadBytes)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
            BrokerLog.PublishTooLarge(_logger, e.UserName, e.ClientId ?? "?", topic, size, _maxPayloadBytes);
        }
        return Task.CompletedTask;
    }
}
