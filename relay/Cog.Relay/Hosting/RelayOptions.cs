using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;

namespace Cog.Relay.Hosting;

/// <summary>
/// The relay's settings, as read from <c>appsettings.json</c>, <c>COG_RELAY_*</c> environment variables and switches
/// (<see cref="RelayConfiguration"/>). Mutable while it is being built; <see cref="RelayOptionsValidator"/> checks it
/// once, at start, listing every error.
/// </summary>
/// <remarks>The token is a secret: nothing prints this object, and no log line or error message contains the
/// token.</remarks>
sealed class RelayOptions
{
    /// <summary>The default broker: the <c>cog</c> server's embedded one on this host.</summary>
    public static readonly Uri DefaultBroker = new("mqtt://127.0.0.1:1883");

    /// <summary>The relay's id (protocol §3): 1 to 64 characters from <c>a-z</c>, <c>0-9</c> and <c>-</c>.</summary>
    public string? Id { get; set; }

    /// <summary>The relay's token (its MQTT password and package-download password).</summary>
    public string? Token { get; set; }

    /// <summary>A file whose content (trimmed) is the token; the way to keep the token out of the environment and
    /// the command line. <see cref="RelayConfiguration"/> reads it into <see cref="Token"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The broker, <c>mqtt://host:port</c> or <c>mqtts://host:port</c> (TLS). Default
    /// <see cref="DefaultBroker"/>; the port defaults to 1883 (mqtt) or 8883 (mqtts).</summary>
    public Uri Broker { get; set; } = DefaultBroker;

    /// <summary>A PEM or DER file with the certificate authority that signed the broker's certificate, when it is not
    /// trusted by the system (mqtts only).</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Accept any broker certificate (development only: this disables the broker's authentication).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>The Cog server's base URL: the only origin (scheme, host, port) packages are downloaded from.
    /// Required unless <see cref="DevDirectory"/> is set.</summary>
    public Uri? Server { get; set; }

    /// <summary>The folder for downloaded packages, unpacked bundles and compiled scripts.</summary>
    public string CacheDirectory { get; set; } = DefaultCacheDirectory();

    /// <summary>How many invocations run at once (default 16); more are queued.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>The operator's tags for this relay (sent in <c>status</c>; a command may target a tag).</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>Dev mode: serve the bundles in this folder as they are, without assignments.</summary>
    public string? DevDirectory { get; set; }

    /// <summary>The MQTT keep-alive (default 30 s): the broker declares the relay gone after 1.5 times this.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many request ids the relay remembers to ignore duplicate deliveries (default 10000).</summary>
    public int RememberedRequests { get; set; } = 10_000;

    /// <summary>How long a clean stop waits for running commands before cancelling them (default 30 s).</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The worker processes of scripts and plug-in assemblies: how many per bundle version, how loaded, how
    /// long a cancelled command has before its worker is killed, and each worker's memory limit.</summary>
    public WorkerOptions Workers { get; set; } = WorkerOptions.Default;

    /// <summary>How bundle code is confined (<c>sandbox:*</c> settings).</summary>
    public SandboxOptions Sandbox { get; set; } = new();

    /// <summary>The settings that could not be read into these options (a bad number, an unreadable token file, an
    /// unknown switch...), one message each; <see cref="RelayOptionsValidation"/> reports them with the rules' errors.</summary>
    public IReadOnlyList<string> ReadErrors { get; set; } = [];

    /// <summary>True for <c>mqtts://</c>.</summary>
    public bool UsesTls => string.Equals(Broker.Scheme, "mqtts", StringComparison.OrdinalIgnoreCase);

    /// <summary>The broker's port, with the scheme's default when the URL has none.</summary>
    public int BrokerPort => Broker.IsDefaultPort || Broker.Port < 0 ? (UsesTls ? 8883 : 1883) : Broker.Port;

    /// <summary>Where the cache goes when nothing is configured: <c>cog-relay</c> under the user's local data folder.</summary>
    public static string DefaultCacheDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "cog-relay");
    }
}
