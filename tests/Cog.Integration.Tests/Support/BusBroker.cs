using System.Security.Cryptography.X509Certificates;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Cog.Testing;
using Microsoft.Extensions.Logging;

namespace Cog.Integration.Tests.Support;

/// <summary>The broker a bus environment runs on: how the server and the relays reach it and log in.</summary>
abstract class BusBroker : IAsyncDisposable
{
    /// <summary>The URL relays are given (<c>--broker</c>).</summary>
    public abstract Uri RelayBrokerUri { get; }

    /// <summary>The server's login: for the transport, and for tests that publish raw payloads as the server.</summary>
    public abstract MqttRelayTransportOptions ServerOptions { get; }

    /// <summary>A PEM file with the CA relays must trust (<c>--ca-certificate</c>), for a TLS broker.</summary>
    public virtual string? CaCertificateFile => null;

    public abstract ValueTask DisposeAsync();
}

/// <summary>The server's embedded MQTTnet broker on a free loopback port, optionally with TLS; relays log in against
/// the server's credential store.</summary>
sealed class EmbeddedBusBroker : BusBroker
{
    readonly EmbeddedBroker _broker;
    readonly X509Certificate2? _authority;
    readonly string? _caFile;

    EmbeddedBusBroker(EmbeddedBroker broker, X509Certificate2? authority, string? caFile)
    {
        _broker = broker;
        _authority = authority;
        _caFile = caFile;
    }

    public static async Task<BusBroker> StartAsync(IRelayCredentialStore credentials, ILoggerFactory log, string folder,
        X509Certificate2? tlsCertificate = null)
    {
        var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, TlsCertificate = tlsCertificate }, credentials,
            log.CreateLogger<EmbeddedBroker>(), TestContext.Current.CancellationToken);
        if (tlsCertificate is null)
        {
            return new EmbeddedBusBroker(broker, null, null);
        }
        var caFile = Path.Combine(folder, "broker-ca.pem");
        await File.WriteAllTextAsync(caFile, tlsCertificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        return new EmbeddedBusBroker(broker, X509CertificateLoader.LoadCertificate(tlsCertificate.RawData), caFile);
    }

    public override Uri RelayBrokerUri => ServerOptions.BrokerUri;

    public override MqttRelayTransportOptions ServerOptions => MqttRelayTransportOptions.ForEmbeddedBroker(_broker, _authority);

    public override string? CaCertificateFile => _caFile;

    public override async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        _authority?.Dispose();
    }
}

/// <summary>A real Mosquitto with a password file holding the server account and every relay's token, and the ACL of
/// docs/mosquitto/cog.acl.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class MosquittoBusBroker : BusBroker
{
    const string ServerUser = "cog-server";

    readonly MosquittoProcess _mosquitto;
    readonly string _serverPassword;

    MosquittoBusBroker(MosquittoProcess mosquitto, string serverPassword)
    {
        _mosquitto = mosquitto;
        _serverPassword = serverPassword;
    }

    public static async Task<BusBroker> StartAsync(IReadOnlyDictionary<string, string> relayTokens)
    {
        var serverPassword = RelayToken.Generate();
        var users = new Dictionary<string, string>(relayTokens, StringComparer.Ordinal) { [ServerUser] = serverPassword };
        var mosquitto = await MosquittoProcess.StartAsync(users, TestContext.Current.CancellationToken);
        return new MosquittoBusBroker(mosquitto, serverPassword);
    }

    public override Uri RelayBrokerUri => new($"mqtt://127.0.0.1:{_mosquitto.Port}");

    /// <summary>The Mosquitto process, to stop and start again on the same port (persistence is off, Mosquitto's default:
    /// a restart loses every session, subscription and retained message).</summary>
    public MosquittoProcess Process => _mosquitto;

    public override MqttRelayTransportOptions ServerOptions => new()
    {
        BrokerUri = RelayBrokerUri,
        UserName = ServerUser,
        Password = _serverPassword,
    };

    public override ValueTask DisposeAsync() => _mosquitto.DisposeAsync();
}
