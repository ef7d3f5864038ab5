namespace Cog.Server.Configuration;

/// <summary>The server's settings: the <c>Cog</c> section of the configuration (appsettings.json, then environment
/// variables <c>Cog__Section__Key</c>, then switches <c>--Cog:Section:Key=value</c>). docs/operations.md lists them.</summary>
sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cog";

    /// <summary>Where the server keeps its files (the SQLite database, scratch space); relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>This server's name among the servers sharing the store (1 to 63 letters, digits, '.', '_' and '-'),
    /// shown by <c>info</c> and kept with each pipeline it runs; default <c>cog-</c> and the host name. A server
    /// refuses to start while another live server sharing the store has the same name.</summary>
    public string InstanceName { get; set; } = "cog-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>Heartbeats and leases of the servers sharing the store.</summary>
    public ClusterOptions Cluster { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public BrokerOptions Broker { get; set; } = new();

    public ApiOptions Api { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    /// <summary>Bootstrap from configuration (Cog 1.0's <c>COG_BOOTSTRAP_*</c>): when the five user fields are set
    /// and Cog is not bootstrapped, the first administrator is created with them (and, with <c>RelayId</c> and
    /// <c>RelayToken</c>, the relay <c>default</c> in the relay group <c>default</c>).</summary>
    public Cog.Runtime.Identity.BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>Without configured bootstrap fields, the first start creates <c>admin</c> with a random password and
    /// prints it once (default). Turn off to bootstrap through the API (<c>cogctl bootstrap</c>).</summary>
    public bool BootstrapOnFirstStart { get; set; } = true;

    public BundlesOptions Bundles { get; set; } = new();

    public DevOptions Dev { get; set; } = new();

    public ChatOptions Chat { get; set; } = new();

    /// <summary>Traces and metrics export (OTLP); <c>/metrics</c> is always served.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();
}

/// <summary>How the servers sharing a store tell the living from the dead.</summary>
sealed class ClusterOptions
{
    /// <summary>Seconds between two heartbeats of this server, and between two attempts at once-only work (1 to 60).</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Seconds without a heartbeat after which a server is dead to its peers (its pipelines are marked
    /// interrupted, its once-only work taken over); at least twice <see cref="HeartbeatSeconds"/>, at most 600.</summary>
    public int InstanceTtlSeconds { get; set; } = 20;
}

/// <summary>The store.</summary>
sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>SQLite: the database file; default <c>&lt;DataDirectory&gt;/cog.db</c>.</summary>
    public string? Path { get; set; }

    /// <summary>PostgreSQL: an Npgsql connection string.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The MQTT broker relays connect to.</summary>
sealed class BrokerOptions
{
    /// <summary>Run the embedded broker (default); <see langword="false"/> connects to <see cref="Url"/>.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Embedded: the port to listen on (0 picks a free one).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Embedded: the address to listen on.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>External: <c>mqtt://host[:port]</c> or <c>mqtts://host[:port]</c>.</summary>
    public string? Url { get; set; }

    /// <summary>External: the server's broker login.</summary>
    public string? UserName { get; set; }

    /// <summary>External: the server's broker password, or use <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }

    /// <summary>External: a file holding the broker password (trimmed).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Embedded: a TLS listener for relays beside the plain one.</summary>
    public BrokerTlsOptions Tls { get; set; } = new();

    /// <summary>External: provision every relay's login and ACL in Mosquitto 2's dynamic-security plugin.</summary>
    public DynamicSecurityOptions DynamicSecurity { get; set; } = new();
}

/// <summary>The embedded broker's TLS listener (<c>mqtts</c>): on when <c>Certificate:Path</c> is set. The plain listener
/// (<see cref="BrokerOptions.Port"/> on <see cref="BrokerOptions.BindAddress"/>, loopback by default) stays for the
/// server's own connection and local relays.</summary>
sealed class BrokerTlsOptions
{
    /// <summary>The port of the TLS listener (0 picks a free one).</summary>
    public int Port { get; set; } = 8883;

    /// <summary>The address of the TLS listener; default <see cref="BrokerOptions.BindAddress"/>.</summary>
    public string? BindAddress { get; set; }

    /// <summary>The listener's certificate.</summary>
    public CertificateOptions Certificate { get; set; } = new();
}

/// <summary>With an external Mosquitto 2: the server, as the dynamic-security plugin's administrator, keeps one client
/// per relay (username and client id from the relay id, password = its token) and one role with that relay's ACLs.</summary>
sealed class DynamicSecurityOptions
{
    /// <summary>Provision relays through the plugin's control topic.</summary>
    public bool Enabled { get; set; }
}

/// <summary>The REST API.</summary>
sealed class ApiOptions
{
    /// <summary>Where Kestrel listens, <c>;</c>-separated (port 0 picks a free one).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:4000";

    /// <summary>The URL relays and trigger callers reach the API at; default: the first listening address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Sign-in throttling of <c>POST /v1/token</c> (and so of the web console's sign-in).</summary>
    public Cog.Runtime.Identity.SignInThrottleOptions SignIn { get; set; } = new();

    /// <summary>The certificate of the <c>https://</c> URLs in <see cref="Urls"/>.</summary>
    public CertificateOptions Certificate { get; set; } = new();

    /// <summary>Reverse proxies (addresses or networks such as <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c>,
    /// <c>-Proto</c> and <c>-Host</c> are believed; none by default, so no request can claim another address.</summary>
    public IList<string> TrustedProxies { get; set; } = [];
}

/// <summary>A server certificate from files, reloaded when they change (a renewal needs no restart).</summary>
sealed class CertificateOptions
{
    /// <summary>A PEM certificate (with <see cref="KeyPath"/>, or holding its key) or a PKCS#12 (<c>.pfx</c>, <c>.p12</c>) file.</summary>
    public string? Path { get; set; }

    /// <summary>The PEM private key of <see cref="Path"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>A file holding the PKCS#12 file's password (trimmed), if it has one.</summary>
    public string? PasswordFile { get; set; }
}

/// <summary>Who may read <c>GET /metrics</c>. With nothing set it answers whoever reaches the API, as the health checks
/// do; with both set, a scrape needs the token and an allowed address.</summary>
sealed class MetricsOptions
{
    /// <summary>A bearer token a scrape must send (<c>Authorization: Bearer TOKEN</c>); or use <see cref="TokenFile"/>.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (trimmed).</summary>
    public string? TokenFile { get; set; }

    /// <summary>Addresses or networks (<c>10.0.0.0/8</c>) a scrape may come from (after <see cref="ApiOptions.TrustedProxies"/>).</summary>
    public IList<string> AllowedNetworks { get; set; } = [];
}

/// <summary>Pipelines.</summary>
sealed class PipelineOptions
{
    /// <summary>The longest a whole pipeline may run (Cog 1.0's <c>COG_PIPELINE_TIMEOUT</c>), in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>The timeout of a command whose manifest gives none, in seconds.</summary>
    public int CommandTimeoutSeconds { get; set; } = 60;
}

/// <summary>The audit log's key and checkpoints (docs/operations.md "The audit key and checkpoints").</summary>
sealed class AuditOptions
{
    /// <summary>The key file that seals the audit chain and signs checkpoints: exactly 32 random bytes; default
    /// <c>&lt;DataDirectory&gt;/audit.key</c>, created (mode 0600) on the first start when absent.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Key files used before a rotation: the records they sealed still verify.</summary>
    public List<string> PreviousKeyFiles { get; set; } = [];

    /// <summary>Where signed checkpoints of the chain's head are appended; default
    /// <c>&lt;DataDirectory&gt;/audit-checkpoints.jsonl</c>.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>A second file that receives every checkpoint too (another mount or machine), or none.</summary>
    public string? CheckpointCopyFile { get; set; }

    /// <summary>How often a checkpoint is written while the head moves, in seconds (1 to 3600); one is also written at
    /// start and at shutdown.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 60;
}

/// <summary>Bundle installs: the checks every bundle gets before it is installed, run by the bundle checker process.</summary>
sealed class BundlesOptions
{
    /// <summary>The bundle checker (<c>Cog.BundleChecker.dll</c>); default: found in the repository's build output
    /// beside the server's. Without it every install is refused, unless <see cref="SkipChecks"/> is set.</summary>
    public string? CheckerExecutable { get; set; }

    /// <summary>Install bundles without checking their scripts, plug-in types, templates and executables (their errors
    /// then show only when someone runs a command). Off by default.</summary>
    public bool SkipChecks { get; set; }

    /// <summary>How long the checker may take for one bundle before it is killed and the install refused, in seconds.</summary>
    public int CheckTimeoutSeconds { get; set; } = 60;

    /// <summary>The checker's GC heap limit, in megabytes.</summary>
    public int CheckMemoryLimitMegabytes { get; set; } = 1024;
}

/// <summary>Dev mode: a local relay process serving a bundle folder.</summary>
sealed class DevOptions
{
    /// <summary>A folder of bundle folders (each with a <c>config.yaml</c>); setting it turns dev mode on.</summary>
    public string? Bundles { get; set; }

    /// <summary>The local relay's id.</summary>
    public string RelayId { get; set; } = "local";

    /// <summary>The relay executable (<c>Cog.Relay.dll</c>); default: found beside the server in the repository's
    /// build output.</summary>
    public string? RelayExecutable { get; set; }
}

/// <summary>Chat: how messages become pipelines and the chat providers (several may run at once).</summary>
sealed class ChatOptions
{
    /// <summary>A message in a room that starts with this is a command (Cog 1.0's <c>COG_COMMAND_PREFIX</c>).</summary>
    public string CommandPrefix { get; set; } = "!";

    /// <summary>The text that repeats the sender's previous pipeline (Cog 1.0's <c>COG_PREVIOUS_COMMAND_TOKEN</c>).</summary>
    public string PreviousCommandToken { get; set; } = "!!";

    /// <summary>Create a Cog user for an unknown chat user on their first command (Cog 1.0's
    /// <c>COG_ALLOW_SELF_REGISTRATION</c>); the new user has no permissions.</summary>
    public bool AllowSelfRegistration { get; set; }

    /// <summary>The provider <c>chat://</c> targets go to when the pipeline did not come from chat (triggers, the API);
    /// default: <c>slack</c> when it is enabled, else <c>web</c>.</summary>
    public string? DefaultProvider { get; set; }

    public SlackChatOptions Slack { get; set; } = new();

    public WebChatOptions Web { get; set; } = new();
}

/// <summary>The Slack provider (Socket Mode and the Web API; docs/slack.md).</summary>
sealed class SlackChatOptions
{
    /// <summary>Connect to Slack.</summary>
    public bool Enabled { get; set; }

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>) that opens Socket Mode connections;
    /// or use <see cref="AppTokenFile"/>.</summary>
    public string? AppToken { get; set; }

    /// <summary>A file holding the app-level token (trimmed).</summary>
    public string? AppTokenFile { get; set; }

    /// <summary>The bot token (<c>xoxb-…</c>) for Web API calls; or use <see cref="BotTokenFile"/>.</summary>
    public string? BotToken { get; set; }

    /// <summary>A file holding the bot token (trimmed).</summary>
    public string? BotTokenFile { get; set; }

    /// <summary>The Web API's base URL (tests point it at a fake Slack).</summary>
    public string ApiUrl { get; set; } = "https://slack.com/api/";
}

/// <summary>The web console's chat (provider <c>web</c>).</summary>
sealed class WebChatOptions
{
    /// <summary>Serve the web console and its chat.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The rooms of the web chat besides each person's direct conversation with Cog.</summary>
    public IList<string> Rooms { get; set; } = ["general"];
}
