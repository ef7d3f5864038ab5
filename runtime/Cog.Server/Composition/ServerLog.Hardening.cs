using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>Log lines of TLS certificates, metrics access and the provisioning of relays in an external Mosquitto
/// (event ids 40 to 59).</summary>
static partial class ServerLog
{
    [LoggerMessage(40, LogLevel.Information, "{Setting}: certificate reloaded ({Subject}, thumbprint {Thumbprint}).")]
    public static partial void CertificateReloaded(ILogger logger, string setting, string subject, string thumbprint);

    [LoggerMessage(41, LogLevel.Warning, "{Setting}: the changed certificate files do not load ({Reason}); the previous certificate stays in service.")]
    public static partial void CertificateReloadFailed(ILogger logger, string setting, string reason);

    [LoggerMessage(43, LogLevel.Warning, "GET /metrics refused for {Address}: {Reason}.")]
    public static partial void MetricsRefused(ILogger logger, string address, string reason);
}
