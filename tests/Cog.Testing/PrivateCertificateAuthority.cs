using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cog.Testing;

/// <summary>A certificate authority made for one test (ECDSA P-256, valid for a day), which issues server certificates
/// for loopback and writes them as the PEM files an operator would configure.</summary>
public sealed class PrivateCertificateAuthority : IDisposable
{
    readonly ECDsa _key;

    public PrivateCertificateAuthority(string name = "Cog test CA")
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = TimeProvider.System.GetUtcNow();
        Certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    /// <summary>The authority's certificate (with its key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the authority's certificate as PEM (what <c>--ca-file</c> and <c>ca_certificate</c> take).</summary>
    public string WriteCertificate(string path)
    {
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Issues a server certificate for <c>localhost</c>, 127.0.0.1 and ::1 and writes it and its key as PEM to
    /// <paramref name="certificatePath"/> and <paramref name="keyPath"/>; returns its thumbprint.</summary>
    public string IssueServerCertificate(string certificatePath, string keyPath, string subject = "localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var issued = request.Create(Certificate, now.AddMinutes(-5), now.AddHours(1), RandomNumberGenerator.GetBytes(16));
        // The key first, so a reader never sees a new certificate with the old key.
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, issued.ExportCertificatePem());
        return issued.Thumbprint;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
