using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Mqtt.Tests.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Cog.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Mqtt.Tests.Transport;

/// <summary>The transport over TLS to a broker with a self-signed certificate: trusted only when configured as the
/// certificate authority.</summary>
public sealed class MqttRelayTransportTlsTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_broker_certificate_signed_by_the_configured_authority_is_trusted()
    {
        using var certificate = SelfSigned();
        await using var harness = await BrokerHarness.StartAsync(new EmbeddedBrokerOptions { Port = 0, TlsCertificate = certificate });
        using var authority = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var log = new CollectingLogger<MqttRelayTransport>();
        await using var transport = new MqttRelayTransport(MqttRelayTransportOptions.ForEmbeddedBroker(harness.Broker, authority), log, TimeProvider.System);
        using var dispatcher = new RelayDispatcher(new RelayRegistry(TimeProvider.System), transport, new RelayDispatcherOptions(), TimeProvider.System, new CollectingLogger<RelayDispatcher>());

        await transport.StartAsync(dispatcher, Token);

        Assert.True(transport.IsConnected);
        Assert.Contains($"Connected to the MQTT broker mqtts://127.0.0.1:{harness.Broker.Port} as $cog-server (client {transport.ClientId}).", log.Lines);
    }

    [Fact]
    public async Task An_untrusted_broker_certificate_is_refused_and_retried()
    {
        using var certificate = SelfSigned();
        await using var harness = await BrokerHarness.StartAsync(new EmbeddedBrokerOptions { Port = 0, TlsCertificate = certificate });
        var log = new CollectingLogger<MqttRelayTransport>();
        var time = new FakeTimeProvider();
        await using var transport = new MqttRelayTransport(MqttRelayTransportOptions.ForEmbeddedBroker(harness.Broker), log, time);
        using var dispatcher = new RelayDispatcher(new RelayRegistry(time), transport, new RelayDispatcherOptions(), time, new CollectingLogger<RelayDispatcher>());
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var start = transport.StartAsync(dispatcher, giveUp.Token);
        await Eventually.TrueAsync(() => log.Lines.Any(l => l.StartsWith($"Could not connect to the MQTT broker mqtts://127.0.0.1:{harness.Broker.Port}: ", StringComparison.Ordinal) && l.EndsWith("Retrying in 00:00:01.", StringComparison.Ordinal)), "a refused attempt");
        // The delay's timer starts just after the line is logged: move the clock on until the next attempt was made.
        await Eventually.TrueAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            return log.Lines.Any(l => l.EndsWith("Retrying in 00:00:02.", StringComparison.Ordinal));
        }, "a second attempt with a doubled delay");
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.False(transport.IsConnected);
    }

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=cog-test-broker", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = TimeProvider.System.GetUtcNow();
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-1), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
