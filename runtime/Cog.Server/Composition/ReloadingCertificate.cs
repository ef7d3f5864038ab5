using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cog.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>A server certificate read from files (<see cref="CertificateOptions"/>) and read again when they change, so
/// a renewed certificate is served without a restart. Used by the API's HTTPS and the embedded broker's TLS listener,
/// each asking for <see cref="Current"/> at every TLS handshake.</summary>
/// <remarks>A change is seen by comparing the files' last write times and lengths at each handshake (two <c>stat</c>
/// calls): no watcher thread, and a file replaced by a rename or a symbolic link swapped to a new target (certbot,
/// Kubernetes secrets) counts as a change. A file that does not load (half written, wrong key) keeps the previous
/// certificate in service and is logged once per change; the next handshake after it is fixed picks it up.</remarks>
sealed class ReloadingCertificate(CertificateOptions files, string setting, ILogger logger)
{
    readonly Lock _gate = new();
    X509Certificate2? _current;
    (DateTime, long, DateTime, long) _stamp;

    /// <summary>The certificate of the files as they are now (the previous one while the files do not load).</summary>
    public X509Certificate2 Current
    {
        get
        {
            var stamp = Stamp();
            lock (_gate)
            {
                if (_current is not null && stamp == _stamp)
                    return _current;
                _stamp = stamp;
                try
                {
                    var loaded = Load(files);
                    if (_current is not null)
                        ServerLog.CertificateReloaded(logger, setting, loaded.Subject, loaded.Thumbprint);
                    _current = loaded;
                }
                catch (Exception e) when (_current is not null && e is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    ServerLog.CertificateReloadFailed(logger, setting, e.Message);
                }
                return _current;
            }
        }
    }

    /// <summary>Why <paramref name="files"/> do not give a certificate with its private key, or null when they do.</summary>
    public static string? Problem(CertificateOptions files)
    {
        try
        {
            using var certificate = Load(files);
            return certificate.HasPrivateKey ? null : "holds no private key (give the key in KeyPath)";
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "could not be read: " + e.Message;
        }
    }

    /// <summary>Loads a PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) or a PEM certificate with its key (from
    /// <see cref="CertificateOptions.KeyPath"/> or the same file).</summary>
    static X509Certificate2 Load(CertificateOptions files)
    {
        var path = files.Path!;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            var password = files.PasswordFile is { } passwordFile ? File.ReadAllText(passwordFile).Trim() : null;
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        return X509Certificate2.CreateFromPemFile(path, files.KeyPath);
    }

    (DateTime, long, DateTime, long) Stamp()
    {
        var certificate = new FileInfo(files.Path!);
        var key = new FileInfo(files.KeyPath ?? files.Path!);
        return (certificate.LastWriteTimeUtc, certificate.Exists ? certificate.Length : -1, key.LastWriteTimeUtc, key.Exists ? key.Length : -1);
    }
}
