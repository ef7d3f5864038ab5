using System.Net;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Server;
using Cog.Runtime.Mqtt.Broker;
using Cog.Runtime.Postgres;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;
using Cog.Server.Configuration;
using Cog.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Integration.Tests.Cluster;

/// <summary>
/// Two Cog servers active at once on one PostgreSQL database and one MQTT broker, as a distributed deployment runs
/// them: <see cref="First"/> and <see cref="Second"/> are whole in-process servers (<see cref="ServerEnvironment"/>) with
/// their own data folders, API ports and instance names (<c>pair-1</c>, <c>pair-2</c>); the broker belongs to neither
/// (it is started here, on loopback, and both servers use it as their external broker), so either server can be stopped
/// while the other and the relays carry on. Only <see cref="First"/> runs the dev relay serving the example bundles;
/// <see cref="First"/> bootstraps the store and <see cref="Second"/> joins with the same administrator. All the pair's
/// servers seal the one audit chain with one audit key (<see cref="AuditKeyFile"/>), as servers sharing a store must.
/// </summary>
/// <remarks>An in-process server cannot be killed: for a crash, <see cref="StartProcessAsync"/> adds a server as a real
/// child process on the same database and broker, which <see cref="ServerProcess.KillAsync"/> kills with SIGKILL.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class ServerPair : IAsyncDisposable
{
    readonly IStore _brokerStore;
    readonly List<ServerProcess> _processes = [];
    readonly List<string> _folders = [];

    ServerPair(string connectionString, IStore brokerStore, EmbeddedBroker broker)
    {
        ConnectionString = connectionString;
        _brokerStore = brokerStore;
        Broker = broker;
        var keys = Directory.CreateTempSubdirectory("cog-pair-keys-").FullName;
        _folders.Add(keys);
        AuditKeyFile = Path.Combine(keys, "audit.key");
    }

    /// <summary>The audit key file every server of the pair uses (made by the first start).</summary>
    public string AuditKeyFile { get; }

    /// <summary>The database both servers share.</summary>
    public string ConnectionString { get; }

    /// <summary>The broker both servers and the relays use (relays log in with the tokens stored in the database).</summary>
    public EmbeddedBroker Broker { get; }

    /// <summary>The server that bootstrapped the store and runs the dev relay.</summary>
    public ServerEnvironment First { get; private set; } = null!;

    /// <summary>The server that joined.</summary>
    public ServerEnvironment Second { get; private set; } = null!;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts the broker, then <see cref="First"/>, then <see cref="Second"/> on a fresh database of
    /// <paramref name="postgres"/>. <paramref name="configure"/> is applied to both servers' options (after the pair's own
    /// settings); <paramref name="configureServices"/> to both containers.</summary>
    public static async Task<ServerPair> StartAsync(PostgresCluster postgres, Action<ServerOptions, string>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var brokerStore = PostgresStore.Open(connectionString);
        EmbeddedBroker broker;
        try
        {
            // The relays' logins are checked against the shared database, as both servers' own brokers would.
            broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0, BindAddress = IPAddress.Loopback },
                new StoredRelayCredentials(brokerStore.Relays), NullLogger<EmbeddedBroker>.Instance, Token);
        }
        catch
        {
            await brokerStore.DisposeAsync();
            throw;
        }
        var pair = new ServerPair(connectionString, brokerStore, broker);
        try
        {
            pair.First = await ServerEnvironment.StartAsync((options, root) =>
            {
                pair.Configure(options, "pair-1");
                configure?.Invoke(options, root);
            }, configureServices);
            pair.Second = await ServerEnvironment.StartAsync((options, root) =>
            {
                pair.Configure(options, "pair-2");
                options.Dev.Bundles = null;
                configure?.Invoke(options, root);
            }, configureServices, pair.First.Admin);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    void Configure(ServerOptions options, string instance)
    {
        options.InstanceName = instance;
        options.Database.Provider = "postgres";
        options.Database.ConnectionString = ConnectionString;
        options.Broker.Embedded = false;
        options.Broker.Url = $"mqtt://127.0.0.1:{Broker.Port}";
        options.Broker.UserName = Broker.ServerCredentials.UserName;
        options.Broker.Password = Broker.ServerCredentials.Password;
        options.Audit.KeyFile = AuditKeyFile;
    }

    /// <summary>Starts one more server, as a real child process (<c>cog.dll</c>) with instance name
    /// <paramref name="instance"/> on the same database and broker, without a dev relay; its API is at
    /// <see cref="ServerProcess"/>'s returned URL. Disposed (killed) with the pair.</summary>
    public async Task<(ServerProcess Server, Uri Api)> StartProcessAsync(string instance, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("cog-pair-process-").FullName;
        _folders.Add(root);
        var api = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["InstanceName"] = instance,
            ["DataDirectory"] = Path.Combine(root, "data"),
            ["Api:Urls"] = api.ToString().TrimEnd('/'),
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = ConnectionString,
            ["Broker:Embedded"] = "false",
            ["Broker:Url"] = $"mqtt://127.0.0.1:{Broker.Port}",
            ["Broker:UserName"] = Broker.ServerCredentials.UserName,
            ["Broker:Password"] = Broker.ServerCredentials.Password,
            ["Audit:KeyFile"] = AuditKeyFile,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;
        var process = new ServerProcess(all, root);
        _processes.Add(process);
        await process.StartAsync(Token);
        return (process, api);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
        if (Second is not null)
            await Second.DisposeAsync();
        if (First is not null)
            await First.DisposeAsync();
        await Broker.DisposeAsync();
        await _brokerStore.DisposeAsync();
        foreach (var folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }
}
