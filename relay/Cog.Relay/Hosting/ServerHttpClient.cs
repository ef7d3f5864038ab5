using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cog.Relay.Transport;

namespace Cog.Relay.Hosting;

/// <summary>The HTTP client a relay downloads packages from the server with: the system's certificate authorities, or
/// with <see cref="RelayOptions.CaCertificateFile"/> only that authority (as for the broker), so a server whose
/// certificate a private authority signed is reachable over https without trusting anything else. The host name must
/// match the certificate either way.</summary>
static class ServerHttpClient
{
    /// <summary>A client for <paramref name="options"/>' server.</summary>
    public static HttpClient Create(RelayOptions options, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler();
        if (options.CaCertificateFile is { } caFile)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(RelaySession.LoadCertificates(caFile));
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }
        return new HttpClient(handler) { Timeout = timeout };
    }
}
