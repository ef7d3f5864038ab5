using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Cog.Api;
using Cog.Runtime.Administration;
using Cog.Api.Triggers;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Chat;
using Cog.Runtime.Cluster;
using Cog.Runtime.Bundles;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Identity;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Postgres;
using Cog.Runtime.Postgres.Cluster;
using Cog.Runtime.Relays;
using Cog.Runtime.Rendering;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Triggers;
using Cog.Server.Configuration;
using Cog.Server.Startup;
using Cog.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>
/// One running Cog server: every part composed and started in dependency order, stopped in reverse order.
/// </summary>
/// <remarks>
/// <para>Start order: the API host is built (its container holds the administrations, bootstrap and metrics) but does not
/// listen yet → the store (migrations applied) → this instance registered among the servers sharing the store, and the bus
/// to them → the audit key, checkpointer and writer (a key change or a truncation since the last checkpoint recorded, a
/// first checkpoint written) → the cached directory, its changes announced to the other servers → the broker (embedded) → the
/// MQTT transport and the relay dispatcher → the bundle registry → the built-in bundle installed from the manifest
/// inside this executable → the pipeline engine and its front door → bootstrap → assignments republished to every relay
/// → the REST API listens → chat → the sweeper of dead servers → dev mode (the dev folder's bundles installed, a local
/// relay process started). So no request
/// ever meets a half-started server. A failure at any step stops what was started and is rethrown to the caller.</para>
/// <para>Run by the executable's Generic Host (<see cref="CogServerService"/>) and, in-process, by the end-to-end tests
/// (ports 0, temporary folders).</para>
/// </remarks>
sealed class CogServer : IAsyncDisposable
{
    readonly List<IAsyncDisposable> _owned = [];
    readonly ILogger _logger;
    WebApplication? _api;
    bool _listening;

    readonly Action<IServiceCollection>? _configureServices;

    CogServer(ServerOptions options, ILoggerFactory loggers, TimeProvider time, Action<IServiceCollection>? configureServices)
    {
        _configureServices = configureServices;
        Options = options;
        Loggers = loggers;
        Time = time;
        _logger = loggers.CreateLogger<CogServer>();
    }

    public ServerOptions Options { get; }

    public ILoggerFactory Loggers { get; }

    public TimeProvider Time { get; }

    public IStore Store { get; private set; } = null!;

    public StorePipelineDirectory Directory { get; private set; } = null!;

    /// <summary>Where every change to what <see cref="Directory"/> caches is told: this server's cache and the other
    /// servers' (over <see cref="Bus"/>).</summary>
    public ClusterDirectoryChanges DirectoryChanges { get; private set; } = null!;

    public AuditWriter AuditWriter { get; private set; } = null!;

    /// <summary>Where audit records of commands that ran while the store was unavailable wait for it
    /// (<c>&lt;DataDirectory&gt;/audit-spool.jsonl</c>).</summary>
    public AuditSpool AuditSpool { get; private set; } = null!;

    public AdminAudit AdminAudit { get; private set; } = null!;

    /// <summary>Verifies the audit log with this server's keys and checkpoint files.</summary>
    public AuditVerifier AuditVerifier { get; private set; } = null!;

    /// <summary>Writes this server's checkpoints of the audit chain's head.</summary>
    public AuditCheckpointer AuditCheckpointer { get; private set; } = null!;

    public EmbeddedBroker? Broker { get; private set; }

    public MqttRelayTransportOptions TransportOptions { get; private set; } = null!;

    /// <summary>The server's connection to the broker.</summary>
    public MqttRelayTransport Transport { get; private set; } = null!;

    /// <summary>The relays' logins in an external Mosquitto, when <c>Cog:Broker:DynamicSecurity:Enabled</c>.</summary>
    public MosquittoDynamicSecurity? DynamicSecurity { get; private set; }

    public RelayDispatcher Dispatcher { get; private set; } = null!;

    public BundleRegistry Registry { get; private set; } = null!;

    /// <summary>Each relay's live report compared with its assignments, as operators see it.</summary>
    public RelayMonitor Relays { get; private set; } = null!;

    public PipelineEngine Engine { get; private set; } = null!;

    public RunningPipelines Pipelines { get; private set; } = null!;

    /// <summary>Kills pipelines wherever they run, and answers the other servers' kill requests.</summary>
    public ClusterPipelines ClusterPipelines { get; private set; } = null!;

    /// <summary>Notices to and from the other servers sharing the store.</summary>
    public IServerBus Bus { get; private set; } = null!;

    /// <summary>The services commands reach at <c>COG_SERVICES_ROOT</c> (tokens and pipeline memory).</summary>
    public CommandServices CommandServices { get; private set; } = null!;

    /// <summary>The front door every origin runs pipelines through (metered).</summary>
    public IPipelineRunner Runner { get; private set; } = null!;

    /// <summary>The chat providers running in this server.</summary>
    public ChatProviders ChatProviders { get; private set; } = null!;

    /// <summary>Destinations and delivery of replies, for chat and for triggers.</summary>
    public ChatDestinations ChatDestinations { get; private set; } = null!;

    /// <summary>The chat service: every provider's inbox.</summary>
    public ChatService? Chat { get; private set; }

    /// <summary>The API's base URL as relays and callers reach it (<see cref="ApiOptions.PublicUrl"/> or the first
    /// listening address).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>This server's own base URL as commands on relays reach it (<c>COG_SERVICES_ROOT</c>; see
    /// <see cref="ApiOptions.InternalUrl"/>).</summary>
    public Uri ServicesUrl { get; private set; } = null!;

    /// <summary>The first-start administrator's credentials when this start created them (printed once by Program).</summary>
    public BootstrapCredentials? CreatedAdmin { get; private set; }

    /// <summary>The dev-mode relay process, when dev mode is on.</summary>
    public DevRelay? DevRelay { get; private set; }

    /// <summary>The API host's services (the administrations, bootstrap, metrics...).</summary>
    public IServiceProvider Services => _api?.Services ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Starts every part; on failure, stops what was started and rethrows. <paramref name="configureServices"/>
    /// adds to the container before it is built (tests register a fake <c>IChatProvider</c> there).</summary>
    public static async Task<CogServer> StartAsync(ServerOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken,
        Action<IServiceCollection>? configureServices = null)
    {
        var server = new CogServer(options, loggers, time, configureServices);
        try
        {
            await server.StartPartsAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = System.IO.Directory.CreateDirectory(Options.DataDirectory).FullName;
        var urls = ListeningUrls(Options.Api);
        ApiUrl = new Uri(Options.Api.PublicUrl ?? urls[0]);
        ServicesUrl = OwnUrl(Options.Api, urls);

        // The API host is built first (its services are the composition's container: the administrations, bootstrap,
        // metrics) but only listens once everything behind it is ready, at the end.
        _api = BuildApi(urls);
        var services = _api.Services;
        var metrics = services.GetRequiredService<CogMetrics>();

        Store = OpenStore(dataDirectory);
        _owned.Add(Store);
        var applied = await Store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        ServerLog.StoreReady(_logger, Options.Database.Provider, applied.Count);
        // A client id kept in the data folder: a restarted server resumes its broker session (what relays published
        // meanwhile waits there), servers sharing a broker never take over each other's sessions, and it is this server's
        // identity among the instances sharing the store (a restart after a crash takes its own name back at once).
        var clientId = await BrokerClientIdAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        var timings = new ClusterTimings(TimeSpan.FromSeconds(Options.Cluster.HeartbeatSeconds), TimeSpan.FromSeconds(Options.Cluster.InstanceTtlSeconds));
        _owned.Add(await InstanceRegistration.StartAsync(Store.Cluster, Options.InstanceName, clientId, timings, Time,
            Loggers.CreateLogger<InstanceRegistration>(), cancellationToken).ConfigureAwait(false));
        Bus = await OpenBusAsync(cancellationToken).ConfigureAwait(false);

        var (auditKeys, checkpointFiles) = OpenAuditKeys(dataDirectory);
        AuditVerifier = new AuditVerifier(auditKeys, checkpointFiles);
        // A key change and a truncation are recorded first, sealed with the current key; then what the last run could not
        // write while the store was down; then the pipelines it left running (a crash) are marked interrupted: all before
        // anything new can run.
        await AuditStartup.RecordAsync(Store.Audit, auditKeys, checkpointFiles, Time, Loggers.CreateLogger<AuditCheckpointer>(),
            cancellationToken).ConfigureAwait(false);
        // Added before the writer, so stopping writes the last checkpoint after the writer's last batch.
        var checkpointer = AuditCheckpointer = new AuditCheckpointer(Store.Audit, auditKeys.Current, checkpointFiles,
            TimeSpan.FromSeconds(Options.Audit.CheckpointIntervalSeconds), Time, Loggers.CreateLogger<AuditCheckpointer>());
        _owned.Add(checkpointer);
        AuditSpool = AuditSpool.Open(Path.Combine(dataDirectory, AuditSpool.FileName), Store.History);
        AuditWriter = new AuditWriter(new MeteredAuditStore(Store.Audit, metrics, Time), auditKeys.Current, AuditSpool, Time);
        _owned.Add(AuditWriter);
        await AuditWriter.ReplaySpoolAsync(cancellationToken).ConfigureAwait(false);
        var interrupted = await InterruptedPipelines.MarkAsync(Store.History, Store.Audit, AuditWriter, Options.InstanceName, Time, cancellationToken)
            .ConfigureAwait(false);
        if (interrupted.Count > 0)
            ServerLog.PipelinesInterrupted(_logger, interrupted.Count, Options.InstanceName);
        await checkpointer.StartAsync(cancellationToken).ConfigureAwait(false);
        AdminAudit = new AdminAudit(AuditWriter, Time);
        Directory = new StorePipelineDirectory(Store, new StorePipelineDirectoryOptions
        {
            DefaultCommandTimeout = TimeSpan.FromSeconds(Options.Pipeline.CommandTimeoutSeconds),
        }, Time, Loggers.CreateLogger<StorePipelineDirectory>());
        DirectoryChanges = new ClusterDirectoryChanges(Directory, Bus, Loggers.CreateLogger<ClusterDirectoryChanges>());
        _owned.Add(DirectoryChanges);

        if (Options.Broker.Embedded)
        {
            Broker = await EmbeddedBroker.StartAsync(
                new EmbeddedBrokerOptions
                {
                    Port = Options.Broker.Port,
                    BindAddress = IPAddress.Parse(Options.Broker.BindAddress),
                    TlsListener = BrokerTlsListener(Options.Broker),
                },
                new StoredRelayCredentials(Store.Relays), Loggers.CreateLogger<EmbeddedBroker>(), cancellationToken).ConfigureAwait(false);
            _owned.Add(Broker);
            TransportOptions = MqttRelayTransportOptions.ForEmbeddedBroker(Broker, clientId: clientId);
            ServerLog.BrokerStarted(_logger, Broker.Address.ToString(), Broker.Port);
        }
        else
        {
            TransportOptions = new MqttRelayTransportOptions
            {
                BrokerUri = new Uri(Options.Broker.Url!),
                UserName = Options.Broker.UserName!,
                ClientId = clientId,
                Password = Options.Broker.PasswordFile is { } file
                    ? (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim()
                    : Options.Broker.Password!,
            };
        }
        if (Options.Broker.DynamicSecurity.Enabled)
        {
            // Before the transport subscribes: reconciling gives the server's login its role on the relay tree.
            DynamicSecurity = await MosquittoDynamicSecurity.ConnectAsync(TransportOptions, Loggers.CreateLogger<MosquittoDynamicSecurity>(), cancellationToken)
                .ConfigureAwait(false);
            _owned.Add(DynamicSecurity);
            var relays = await Store.Relays.ListAsync(cancellationToken).ConfigureAwait(false);
            await DynamicSecurity.ReconcileAsync([.. relays.Select(static r => (r.Id, r.Enabled))], cancellationToken).ConfigureAwait(false);
        }
        var transport = Transport = new MqttRelayTransport(TransportOptions, Loggers.CreateLogger<MqttRelayTransport>(), Time);
        _owned.Add(transport);
        Dispatcher = new RelayDispatcher(new RelayRegistry(Time), transport, new RelayDispatcherOptions(), Time, Loggers.CreateLogger<RelayDispatcher>());
        _owned.Add(new DisposeAction(Dispatcher.Dispose));
        await transport.StartAsync(Dispatcher, cancellationToken).ConfigureAwait(false);

        Registry = new BundleRegistry(Store, transport, DirectoryChanges, new BundleRegistryOptions
        {
            ServerUrl = ApiUrl,
            ScratchDirectory = System.IO.Directory.CreateDirectory(Path.Combine(dataDirectory, "scratch")).FullName,
            CheckerExecutable = Options.Bundles.CheckerExecutable ?? BuildOutput.Find(Path.Combine("runtime", "Cog.BundleChecker"), "Cog.BundleChecker.dll"),
            SkipChecks = Options.Bundles.SkipChecks,
            CheckTimeout = TimeSpan.FromSeconds(Options.Bundles.CheckTimeoutSeconds),
            CheckMemoryLimitBytes = checked(Options.Bundles.CheckMemoryLimitMegabytes * 1024L * 1024L),
        }, Time, Loggers.CreateLogger<BundleRegistry>());
        Relays = new RelayMonitor(Dispatcher.Registry, Registry);
        RelayMetrics.Observe(services.GetRequiredService<IMeterFactory>(), Dispatcher.Registry);
        await BuiltInBundle.InstallAsync(Registry, Store, _logger, cancellationToken).ConfigureAwait(false);
        if (await services.GetRequiredService<RoleAdministration>().GrantOperablePermissionsToAdminAsync(cancellationToken).ConfigureAwait(false) is
            { IsSuccess: false } ungranted)
            throw new InvalidOperationException("Granting the built-in bundle's permissions to cog-admin failed: " + ungranted.Error.Message);
        // Load the catalog now, so that stored rules and manifests that do not load are reported at start: they are
        // skipped and fail closed, never a reason not to start.
        await Directory.GetProblemsAsync(cancellationToken).ConfigureAwait(false);

        Pipelines = new RunningPipelines(Time);
        var clusterPipelines = ClusterPipelines = new ClusterPipelines(Pipelines, Bus, Time, Loggers.CreateLogger<ClusterPipelines>());
        _owned.Add(new DisposeAction(clusterPipelines.Dispose));
        CommandServices = new CommandServices(ServicesUrl, Pipelines, Time);
        var builtIns = new BuiltInCommands(Directory, new StoreBundleDocumentation(Store), new InMemoryNamedDataStore(), Time,
            new BuiltInOptions(Version, Options.InstanceName, TimeSpan.FromMinutes(10)),
            new BuiltInAdministration(Store, ClusterPipelines, AdminAudit, DirectoryChanges, new BuiltInAdminServices(
                services.GetRequiredService<UserAdministration>(), services.GetRequiredService<GroupAdministration>(),
                services.GetRequiredService<RoleAdministration>(), services.GetRequiredService<PermissionAdministration>(),
                services.GetRequiredService<BundleAdministration>(), services.GetRequiredService<RuleAdministration>(),
                services.GetRequiredService<RelayAdministration>(), services.GetRequiredService<RelayGroupAdministration>(),
                services.GetRequiredService<TriggerAdministration>(), ApiUrl, Relays)));
        var executor = new MeteredCommandExecutor(new CommandRouter(builtIns, new RelayCommandExecutor(Directory, Dispatcher, CommandServices, Time)), metrics, Time);
        Engine = new PipelineEngine(Directory, executor, new PipelineAuditLog(AuditWriter, Options.InstanceName), Time,
            new PipelineEngineOptions(TimeSpan.FromSeconds(Options.Pipeline.TimeoutSeconds)));
        Runner = new MeteredPipelineRunner(
            new PipelineRunner(Engine, Pipelines, Store.History, Time, Loggers.CreateLogger<PipelineRunner>(),
                new PipelineRunnerOptions(Options.Chat.PreviousCommandToken) { Instance = Options.InstanceName }, AuditSpool),
            metrics, Time);

        ChatProviders = new ChatProviders(services.GetServices<IChatProvider>(), Options.Chat.DefaultProvider);
        ChatDestinations = new ChatDestinations(ChatProviders, Store.Users, services.GetRequiredService<IReplyComposer>(),
            Loggers.CreateLogger<ChatDestinations>());
        var chat = new ChatService(ChatDestinations, Runner, services.GetRequiredService<IReplyComposer>(), Store.Users, Directory,
            services.GetRequiredService<UserAdministration>(), Time, ChatComposition.ServiceOptions(Options.Chat), Loggers.CreateLogger<ChatService>());

        await BootstrapAsync(services.GetRequiredService<Bootstrap>(), cancellationToken).ConfigureAwait(false);
        await Registry.PublishAllAsync(cancellationToken).ConfigureAwait(false);
        _owned.Add(new AssignmentRepublisher(transport, Registry, _logger));

        // Once-only work, each under its lease: one of the servers sharing the store runs it.
        _owned.Add(new TokenReaper(services.GetRequiredService<ApiTokens>(), Store.Cluster, Options.InstanceName, timings, Time, Loggers));

        await _api.StartAsync(cancellationToken).ConfigureAwait(false);
        _listening = true;
        ServerLog.ApiListening(_logger, string.Join(", ", urls));

        // Chat last: providers may serve through the API (the web console), and messages need everything above.
        Chat = chat;
        await chat.StartAsync(cancellationToken).ConfigureAwait(false);
        // After chat: the sweeper of dead servers tells the people whose pipelines they were running.
        var sweeper = new DeadServerSweeper(Store, AuditWriter, ChatProviders, Options.InstanceName, timings, Time, Loggers.CreateLogger<DeadServerSweeper>());
        _owned.Add(new LeasedJob(Store.Cluster, DeadServerSweeper.LeaseName, Options.InstanceName, timings.Heartbeat, timings,
            sweeper.SweepAsync, Time, Loggers.CreateLogger<LeasedJob>()));

        if (Options.Dev.Bundles is { } devBundles)
        {
            DevRelay = await DevRelay.StartAsync(this, Path.GetFullPath(devBundles), dataDirectory, cancellationToken).ConfigureAwait(false);
            _owned.Add(DevRelay);
        }
    }

    /// <summary>Bootstrap: from the configured fields when all five are set; otherwise, on the first
    /// start, <c>admin</c> with a random password that Program prints once.</summary>
    async Task BootstrapAsync(Bootstrap bootstrap, CancellationToken cancellationToken)
    {
        if (Options.Bootstrap.IsComplete)
        {
            var configured = await bootstrap.BootstrapFromEnvironmentAsync(Options.Bootstrap, cancellationToken).ConfigureAwait(false);
            if (configured is { IsSuccess: false } failed)
                throw new InvalidOperationException("Bootstrap from the configuration failed: " + failed.Error.Message);
            return;
        }
        if (!Options.BootstrapOnFirstStart || await bootstrap.IsBootstrappedAsync(cancellationToken).ConfigureAwait(false))
            return;
        CreatedAdmin = (await bootstrap.BootstrapAsync(null, AdminActor.System, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
        // The web console's chat works out of the box: the administrator's web handle is their username.
        if (Options.Chat.Web.Enabled)
        {
            (await Services.GetRequiredService<UserAdministration>().AttachChatHandleAsync(AdminActor.System, CreatedAdmin.Username,
                WebChatHandleResolver.Name, CreatedAdmin.Username, null, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
        }
    }

    /// <summary>The embedded broker's TLS listener when <c>Cog:Broker:Tls:Certificate:Path</c> is set.</summary>
    EmbeddedBrokerTlsListener? BrokerTlsListener(BrokerOptions broker)
    {
        if (broker.Tls.Certificate.Path is null)
            return null;
        var certificate = new ReloadingCertificate(broker.Tls.Certificate, "Cog:Broker:Tls:Certificate", _logger);
        return new EmbeddedBrokerTlsListener(IPAddress.Parse(broker.Tls.BindAddress ?? broker.BindAddress), broker.Tls.Port, () => certificate.Current);
    }

    /// <summary>This server's MQTT client id, created on the first start and kept in <c>broker-client-id</c> in the data
    /// folder.</summary>
    static async Task<string> BrokerClientIdAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDirectory, "broker-client-id");
        if (File.Exists(file) && (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim() is { Length: > 0 } kept)
            return kept;
        var clientId = MqttRelayTransport.NewClientId();
        await File.WriteAllTextAsync(file, clientId, cancellationToken).ConfigureAwait(false);
        return clientId;
    }

    /// <summary>The audit key ring (the key file, created on the first start when absent, and the previous key files)
    /// and the checkpoint files.</summary>
    (AuditKeyRing Keys, AuditCheckpointFiles Checkpoints) OpenAuditKeys(string dataDirectory)
    {
        var options = Options.Audit;
        var keyFile = Path.GetFullPath(options.KeyFile ?? Path.Combine(dataDirectory, "audit.key"));
        var key = AuditKey.LoadOrCreate(keyFile, out var created);
        if (created)
            ServerLog.AuditKeyCreated(_logger, keyFile, key.Id);
        var keys = new AuditKeyRing(key, options.PreviousKeyFiles.Select(AuditKey.Load));
        var checkpointFile = options.CheckpointFile ?? Path.Combine(dataDirectory, "audit-checkpoints.jsonl");
        var checkpoints = new AuditCheckpointFiles(options.CheckpointCopyFile is { } copy ? [checkpointFile, copy] : [checkpointFile]);
        return (keys, checkpoints);
    }

    /// <summary>The API's listening URLs; a port 0 is replaced by a free port picked now, so the URL (which relays
    /// download packages from) is known before anything listens.</summary>
    static List<string> ListeningUrls(ApiOptions api)
    {
        var urls = new List<string>();
        foreach (var url in ServerOptionsValidator.ApiUrls(api))
        {
            var uri = new Uri(url);
            urls.Add(uri.Port != 0 ? url : new UriBuilder(uri) { Port = FreePort(uri.Host) }.Uri.ToString().TrimEnd('/'));
        }
        return urls;
    }

    /// <summary>This server's own URL (<see cref="ApiOptions.InternalUrl"/>): a pipeline's services live in the server
    /// that runs it, so a command must reach that server, not whichever one a load balancer in front of
    /// <see cref="ApiOptions.PublicUrl"/> picks.</summary>
    internal static Uri OwnUrl(ApiOptions api, IReadOnlyList<string> listening)
    {
        if (api.InternalUrl is { } configured)
            return new Uri(configured);
        var first = new Uri(listening[0]);
        var wildcard = IPAddress.TryParse(first.Host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));
        return wildcard && api.PublicUrl is { } publicUrl ? new Uri(publicUrl) : first;
    }

    static int FreePort(string host)
    {
        using var listener = new TcpListener(IPAddress.TryParse(host, out var address) ? address : IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    WebApplication BuildApi(IReadOnlyList<string> urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Loggers);
        // The process's lifetime (signals, exit) belongs to Program, not to the web host inside it.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrel();
        if (Options.Api.Certificate.Path is not null)
        {
            var certificate = new ReloadingCertificate(Options.Api.Certificate, "Cog:Api:Certificate", _logger);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
                https.ServerCertificateSelector = (_, _) => certificate.Current));
        }
        builder.WebHost.UseUrls([.. urls]);
        ApiAccess.AddForwardedHeaders(builder.Services, Options.Api.TrustedProxies);
        var services = builder.Services;
        // The parts below are made by StartPartsAsync before the host listens; the container hands them out.
        services.AddSingleton(Time);
        services.AddSingleton(_ => Store);
        services.AddSingleton(_ => Bus);
        services.AddSingleton<IPipelineDirectory>(_ => Directory);
        services.AddSingleton<IDirectoryChanges>(_ => DirectoryChanges);
        services.AddSingleton<IStoredObjectProblems>(_ => Directory);
        services.AddSingleton(_ => AdminAudit);
        services.AddSingleton(_ => AuditWriter);
        services.AddSingleton(_ => AuditVerifier);
        services.AddSingleton<IRelayCredentialStore>(_ => new StoredRelayCredentials(Store.Relays));
        services.AddSingleton<IRelayPackageSource>(_ => new StoreRelayPackageSource(Store));
        services.AddSingleton(_ => Transport);
        services.AddSingleton(_ => Registry);
        services.AddSingleton(_ => Dispatcher.Registry);
        services.AddSingleton(_ => Relays);
        services.AddSingleton(_ => Engine);
        services.AddSingleton(_ => Pipelines);
        services.AddSingleton(_ => CommandServices);
        services.AddSingleton<IPipelineMonitor>(_ => ClusterPipelines);
        services.AddSingleton(_ => Runner);
        services.AddSingleton(_ => ChatProviders);
        services.AddSingleton(_ => ChatDestinations);
        services.AddSingleton<IChatDeliveryClaims>(_ => new StoreChatDeliveryClaims(Store.ChatDeliveries, Options.InstanceName, Time,
            Loggers.CreateLogger<StoreChatDeliveryClaims>()));
        services.AddSingleton(_ => Chat ?? throw new InvalidOperationException("The chat service is not started."));
        _configureServices?.Invoke(services);
        ChatComposition.AddChat(services, Options.Chat, Options.DataDirectory, Time, Loggers);
        services.AddSingleton<BundleAdministration>();
        services.AddSingleton<RuleAdministration>();
        if (Options.Broker.DynamicSecurity.Enabled)
            services.AddSingleton<IRelayAccounts>(_ => DynamicSecurity!);
        services.AddSingleton<RelayAdministration>();
        services.AddSingleton<RelayGroupAdministration>();
        services.AddSingleton<ConfigAdministration>();
        services.AddSingleton<TriggerAdministration>();
        services.AddSingleton(new TriggerInvokerOptions());
        services.AddSingleton<TriggerInvoker>();
        if (Options.Api.PublicUrl is { } publicUrl)
            services.AddSingleton(new TriggerEndpointOptions { InvocationUrlBase = new Uri(publicUrl) });
        services.AddSingleton(Options.Api.SignIn);
        services.AddCogApi();
        services.AddCogTelemetry(Options.Telemetry, Options.InstanceName);
        services.AddCogReadiness();
        var app = builder.Build();
        // Before everything that reads the caller's address or the request's scheme and host.
        ApiAccess.UseForwardedHeaders(app, Options.Api.TrustedProxies);
        ApiAccess.UseMetricsAccess(app, Options.Metrics, _logger);
        app.UseCogApi();
        app.MapCogApi();
        if (Options.Chat.Web.Enabled)
        {
            app.UseWebSockets();
            app.MapWebConsole();
        }
        return app;
    }

    /// <summary>The bus to the other servers sharing the store: LISTEN/NOTIFY on PostgreSQL; nobody to reach on SQLite
    /// (one server per database file).</summary>
    async Task<IServerBus> OpenBusAsync(CancellationToken cancellationToken)
    {
        if (Options.Database.Provider != "postgres")
            return new LocalServerBus(Options.InstanceName);
        var bus = await PostgresServerBus.StartAsync(Options.Database.ConnectionString!, Options.InstanceName, Time,
            Loggers.CreateLogger<PostgresServerBus>(), cancellationToken).ConfigureAwait(false);
        _owned.Add(bus);
        return bus;
    }

    IStore OpenStore(string dataDirectory) => Options.Database.Provider switch
    {
        "postgres" => PostgresStore.Open(Options.Database.ConnectionString!, Time),
        _ => SqliteStore.Open(new SqliteStoreOptions { Path = Options.Database.Path ?? Path.Combine(dataDirectory, SqliteStoreOptions.DefaultFileName) }, Time),
    };

    /// <summary>This build's version (the assembly's informational version).</summary>
    public static string Version { get; } =
        typeof(CogServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Stops everything in reverse start order; never throws (failures are logged).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Chat is not null)
        {
            // First: no new pipelines from chat while the rest stops; the ones in flight get the grace period.
            await Chat.DisposeAsync().ConfigureAwait(false);
            Chat = null;
        }
        if (_api is not null && _listening)
        {
            await _api.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _listening = false;
        }
        // The parts stop before the API host's container is disposed: the container hands out the store (and disposes
        // it with itself), and the parts still write to it as they stop (the audit writer's last batch, the lease given
        // up, the instance's row deleted).
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Stopping goes on with the next part whatever one part throws.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ServerLog.StopFailed(_logger, _owned[i].GetType().Name, e);
            }
        }
        _owned.Clear();
        if (_api is not null)
        {
            await _api.DisposeAsync().ConfigureAwait(false);
            _api = null;
        }
    }

    /// <summary>A host lifetime that neither waits for nor reacts to signals: the API host lives inside the server.</summary>
    sealed class EmbeddedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    sealed class DisposeAction(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
