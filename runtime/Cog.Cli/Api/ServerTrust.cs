using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cog.Cli.Api;

/// <summary>The HTTP client cogctl talks to the server with: the system's certificate authorities, or only those of a
/// PEM file (<c>--ca-file</c> or the profile's <c>ca_file</c>) for a server whose certificate a private authority signed.
/// The host name must match the certificate either way.</summary>
static class ServerTrust
{
    /// <summary>The certificate authorities in <paramref name="caFile"/>, or null and why they cannot be read.</summary>
    public static X509Certificate2Collection? Load(string caFile, out string? problem)
    {
        problem = null;
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            problem = $"cannot read the certificate authority file '{caFile}': {e.Message}";
            return null;
        }
        if (authorities.Count == 0)
        {
            problem = $"the certificate authority file '{caFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
            return null;
        }
        return authorities;
    }

    /// <summary>A client trusting <paramref name="authorities"/> only, or the system's authorities when null.</summary>
    public static HttpClient CreateClient(TimeSpan timeout, X509Certificate2Collection? authorities)
    {
        var handler = new SocketsHttpHandler();
        if (authorities is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(authorities);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }
        return new HttpClient(handler) { Timeout = timeout };
    }
}
