using System.Net;
using System.Reflection;
using Cog.Api;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Bundles;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Postgres;
using Cog.Runtime.Relays;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Server.Configuration;
using Cog.Server.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>
/// One running Cog server: every part composed and started in dependency order, stopped in reverse order.
/// </summary>
/// <remarks>
/// <para>Start order: the store (migrations applied) → the audit writer → the cached directory → the broker (embedded)
/// → the MQTT transport and the relay dispatcher → the bundle registry → the built-in bundle installed or upgraded from
/// the manifest inside this executable → bootstrap → the pipeline engine and its front door → the REST API on Kestrel
/// → assignments republished to every relay → dev mode (the dev folder's bundles installed, a local relay process
/// started). A failure at any step stops what was started and is reported by the caller (Program) with its reason.</para>
/// <para>Used by Program and, in-process, by the end-to-end tests (ports 0, temporary folders).</para>
/// </remarks>
sealed class CogServer : IAsyncDisposable
{
    readonly List<IAsyncDisposable> _owned = [];
    readonly ILogger _logger;
    WebApplication? _api;

    CogServer(ServerOptions options, ILoggerFactory loggers, TimeProvider time)
    {
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

    public AuditWriter AuditWriter { get; private set; } = null!;

    public AdminAudit AdminAudit { get; private set; } = null!;

    public EmbeddedBroker? Broker { get; private set; }

    public MqttRelayTransportOptions TransportOptions { get; private set; } = null!;

    public RelayDispatcher Dispatcher { get; private set; } = null!;

    public BundleRegistry Registry { get; private set; } = null!;

    public PipelineEngine Engine { get; private set; } = null!;

    public RunningPipelines Pipelines { get; private set; } = null!;

    /// <summary>The API's base URL as relays and callers reach it (<see cref="ApiOptions.PublicUrl"/> or the first
    /// listening address).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The first-start administrator's credentials when this start created them (printed once by Program).</summary>
    public (string Username, string Password)? CreatedAdmin { get; private set; }

    /// <summary>The dev-mode relay process, when dev mode is on.</summary>
    public DevRelay? DevRelay { get; private set; }

    /// <summary>Starts every part; on failure, stops what was started and rethrows.</summary>
    public static async Task<CogServer> StartAsync(ServerOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var server = new CogServer(options, loggers, time);
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

        Store = OpenStore(dataDirectory);
        _owned.Add(Store);
        var applied = await Store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        ServerLog.StoreReady(_logger, Options.Database.Provider, applied.Count);

        AuditWriter = new AuditWriter(Store.Audit);
        _owned.Add(AuditWriter);
        AdminAudit = new AdminAudit(AuditWriter, Time);
        Directory = new StorePipelineDirectory(Store, new StorePipelineDirectoryOptions
        {
            DefaultCommandTimeout = TimeSpan.FromSeconds(Options.Pipeline.CommandTimeoutSeconds),
        }, Time);

        if (Options.Broker.Embedded)
        {
            Broker = await EmbeddedBroker.StartAsync(
                new EmbeddedBrokerOptions { Port = Options.Broker.Port, BindAddress = IPAddress.Parse(Options.Broker.BindAddress) },
                new StoredRelayCredentials(Store.Relays), Loggers.CreateLogger<EmbeddedBroker>(), cancellationToken).ConfigureAwait(false);
            _owned.Add(Broker);
            TransportOptions = MqttRelayTransportOptions.ForEmbeddedBroker(Broker);
            ServerLog.BrokerStarted(_logger, Broker.Address.ToString(), Broker.Port);
        }
        else
        {
            TransportOptions = new MqttRelayTransportOptions
            {
                BrokerUri = new Uri(Options.Broker.Url!),
                UserName = Options.Broker.UserName!,
                Password = Options.Broker.PasswordFile is { } file
                    ? (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim()
                    : Options.Broker.Password!,
            };
        }
        var transport = new MqttRelayTransport(TransportOptions, Loggers.CreateLogger<MqttRelayTransport>(), Time);
        _owned.Add(transport);
        Dispatcher = new RelayDispatcher(new RelayRegistry(Time), transport, new RelayDispatcherOptions(), Time, Loggers.CreateLogger<RelayDispatcher>());
        _owned.Add(new DisposeAction(Dispatcher.Dispose));
        await transport.StartAsync(Dispatcher, cancellationToken).ConfigureAwait(false);

        // The API must be listening before the registry is told its URL, so Kestrel binds first (nothing is served
        // until the routes are mapped below, which happens before Start returns).
        var api = BuildApi();
        await api.StartAsync(cancellationToken).ConfigureAwait(false);
        _api = api;
        ApiUrl = Options.Api.PublicUrl is { } publicUrl
            ? new Uri(publicUrl)
            : new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        ServerLog.ApiListening(_logger, ApiUrl.ToString());

        Registry = new BundleRegistry(Store, transport, Directory, new BundleRegistryOptions
        {
            ServerUrl = ApiUrl,
            ScratchDirectory = System.IO.Directory.CreateDirectory(Path.Combine(dataDirectory, "scratch")).FullName,
        }, Time, Loggers.CreateLogger<BundleRegistry>());

        await BuiltInBundle.InstallAsync(Registry, Store, _logger, cancellationToken).ConfigureAwait(false);

        var builtIns = new BuiltInCommands(Directory, new StoreBundleDocumentation(Store), new InMemoryNamedDataStore(), Time,
            new BuiltInOptions(Version, Options.InstanceName, TimeSpan.FromMinutes(10)));
        var executor = new CommandRouter(builtIns, new RelayCommandExecutor(Directory, Dispatcher));
        Engine = new PipelineEngine(Directory, executor, new PipelineAuditLog(AuditWriter), Time,
            new PipelineEngineOptions(TimeSpan.FromSeconds(Options.Pipeline.TimeoutSeconds)));
        Pipelines = new RunningPipelines(Engine, Time);

        await Registry.PublishAllAsync(cancellationToken).ConfigureAwait(false);

        if (Options.Dev.Bundles is { } devBundles)
        {
            DevRelay = await DevRelay.StartAsync(this, Path.GetFullPath(devBundles), dataDirectory, cancellationToken).ConfigureAwait(false);
            _owned.Add(DevRelay);
        }
    }

    WebApplication BuildApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Loggers);
        // The process's lifetime (signals, exit) belongs to Program, not to the web host inside it.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrel();
        builder.WebHost.UseUrls([.. ServerOptionsValidator.ApiUrls(Options.Api)]);
        var services = builder.Services;
        services.AddSingleton(Time);
        services.AddSingleton(Store);
        services.AddSingleton<IPipelineDirectory>(Directory);
        services.AddSingleton<IDirectoryChanges>(Directory);
        services.AddSingleton(AdminAudit);
        services.AddSingleton(AuditWriter);
        services.AddSingleton<IRelayCredentialStore>(new StoredRelayCredentials(Store.Relays));
        services.AddSingleton<IRelayPackageSource>(new StoreRelayPackageSource(Store));
        // Resolved lazily: the registry and the engine are made after Kestrel has bound (the registry needs the URL).
        services.AddSingleton(_ => Registry);
        services.AddSingleton(_ => Engine);
        services.AddSingleton(_ => Pipelines);
        services.AddCogApi();
        var app = builder.Build();
        app.UseCogApi();
        app.MapCogApi();
        return app;
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
        if (_api is not null)
        {
            await _api.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _api.DisposeAsync().ConfigureAwait(false);
            _api = null;
        }
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
