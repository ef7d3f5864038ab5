using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Bus;

/// <summary>The bus over TLS: the embedded broker with a self-signed certificate, the server and the relay executable
/// each trusting it as their certificate authority (the relay through <c>--ca-certificate</c>).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsBusTests
{
    [Fact]
    public async Task A_relay_trusting_the_brokers_certificate_authority_serves_over_mqtts()
    {
        using var certificate = SelfSigned();
        await using var bus = await BusEnvironment.StartAsync(context =>
            EmbeddedBusBroker.StartAsync(context.Credentials, context.Log, context.Folder, certificate));
        var echo = bus.PublishArchive(bus.CopyBundle(Repository.Example("echo-assembly"), "echo-assembly"));
        Assert.Equal("mqtts", bus.Broker.RelayBrokerUri.Scheme);
        Assert.NotNull(bus.Broker.CaCertificateFile);

        var relay = bus.StartRelayProcess("relay-c");
        await bus.AssignAsync("relay-c", 1, echo);
        await bus.WaitUntilServesAsync("relay-c", echo, because: "the relay to connect over TLS and announce; it printed:\n" + relay.Output);
        var items = await bus.RunOkAsync(BusEnvironment.Request(echo, "repeat", ["over", "tls"]), "relay-c");

        Assert.Equal("over tls", Assert.Single(items).GetProperty("body").GetString());
        Assert.Contains("Announced 1 ready bundle versions and 0 failures", relay.Output, StringComparison.Ordinal);
    }

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=cog-e2e-broker", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
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
