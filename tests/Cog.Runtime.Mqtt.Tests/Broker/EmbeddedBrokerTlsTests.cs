using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cog.Runtime.Mqtt.Broker;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cog.Runtime.Mqtt.Tests.Broker;

public sealed class EmbeddedBrokerTlsTests
{
    [Fact]
    public async Task With_a_certificate_a_relay_connects_over_tls_only()
    {
        using var certificate = SelfSigned();
        await using var harness = await BrokerHarness.StartAsync(new EmbeddedBrokerOptions { Port = 0, TlsCertificate = certificate });
        var token = harness.Store.Create("relay-a");

        var (_, code) = await harness.TryConnectAsync(Options(harness, token, tls: true));

        Assert.True(harness.Broker.UsesTls);
        Assert.Equal(MqttClientConnectResultCode.Success, code);
        Assert.Contains($"The embedded MQTT broker listens on 127.0.0.1:{harness.Broker.Port} (mqtts).", harness.Log.Lines);
        await Assert.ThrowsAnyAsync<Exception>(() => harness.TryConnectAsync(Options(harness, token, tls: false)));
    }

    static MqttClientOptions Options(BrokerHarness harness, string token, bool tls)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(harness.Broker.Address.ToString(), harness.Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-relay-relay-a")
            .WithCredentials("relay-a", token)
            .WithTimeout(TimeSpan.FromSeconds(2));
        if (tls)
            builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(_ => true));
        return builder.Build();
    }

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-1), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
