using System.Net;
using System.Text.Json;
using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Relays;
using Cog.Testing;
using Npgsql;

namespace Cog.Integration.Tests.Faults;

/// <summary>
/// Everything as real child processes on loopback, for the scenarios that break them: a private PostgreSQL (stoppable),
/// a Mosquitto with the server's account and the relay's token (restartable), one or more Cog servers on that database
/// and broker (each killable, restartable on the same data directory, database and port; several are behind a
/// <see cref="HaproxyProcess"/>) and a relay process serving the <c>shell-fixtures</c> bundle, whose <c>slow</c> command
/// leaves one mark per run (its pipeline id, appended to <see cref="MarksFile"/>) and then sleeps.
/// </summary>
/// <remarks>The administrator and the relay (<c>default</c>, in the relay group <c>default</c>) come from the server's
/// bootstrap settings. When the test failed, the server's and the relay's consoles go to the test output.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class FaultWorld : IAsyncDisposable
{
    public const string RelayId = "faults-relay";
    const string ServerBrokerUser = "cog-server";
    const string Admin = "admin";

    readonly string _adminPassword = "faults-" + Guid.NewGuid().ToString("N");
    readonly string _relayToken = RelayToken.Generate();
    readonly string _brokerPassword = RelayToken.Generate();
    PostgresServer? _postgres;
    MosquittoProcess? _mosquitto;
    readonly List<ServerProcess> _servers = [];
    HaproxyProcess? _loadBalancer;
    HttpClient? _http;
    RelayProcess? _relay;
    string _relayOutput = "";

    FaultWorld(string root) => Root = root;

    /// <summary>The temporary folder: the server's data directory, the cogctl home, the relay's cache, the marks.</summary>
    public string Root { get; }

    public PostgresServer Postgres => _postgres!;

    public MosquittoProcess Mosquitto => _mosquitto!;

    /// <summary>The first server (the only one unless the world was started with several).</summary>
    public ServerProcess Server => _servers[0];

    /// <summary>Every server, in the order of HAProxy's <see cref="HaproxyProcess.ServerName"/>.</summary>
    public IReadOnlyList<ServerProcess> Servers => _servers;

    /// <summary>The load balancer in front of the servers of a world started with several.</summary>
    public HaproxyProcess LoadBalancer => _loadBalancer ?? throw new InvalidOperationException("One server: no load balancer.");

    /// <summary>The server's PostgreSQL database, for scenarios that act on it directly.</summary>
    public string DatabaseConnectionString { get; private set; } = "";

    /// <summary>An HTTP client for the API (no credentials attached; see <see cref="AdminToken"/>): the server's port,
    /// kept across restarts, or the load balancer's when there are several servers. cogctl and the relay use the same
    /// address.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("The servers are not started.");

    /// <summary>The administrator's username (from the bootstrap settings).</summary>
    public string AdminUsername => Admin;

    /// <summary>The administrator's password, for signing in to the web console.</summary>
    public string AdminPassword => _adminPassword;

    /// <summary>The servers' login at Mosquitto (it may read and write the whole relay tree).</summary>
    public (string User, string Password) ServerBrokerLogin => (ServerBrokerUser, _brokerPassword);

    /// <summary>An API token of the administrator.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>The first server's data directory (the audit spool is there).</summary>
    public string DataDirectory => Path.Combine(Root, "data");

    /// <summary>The audit spool: empty or absent unless records wait for the store.</summary>
    public string SpoolFile => Path.Combine(DataDirectory, "audit-spool.jsonl");

    /// <summary>One line per run of <c>shell-fixtures:slow</c>: <c>started by USER for PIPELINE_ID</c>.</summary>
    public string MarksFile => Path.Combine(MarksFolder, "marks.txt");

    /// <summary>The folder of <see cref="MarksFile"/>: writable by <c>shell-fixtures</c> commands (the relay's
    /// <c>sandbox:writable</c>). Each command runs under a user of its own, so the file is writable by anyone.</summary>
    string MarksFolder
    {
        get
        {
            var folder = Directory.CreateDirectory(Path.Combine(Root, "marks")).FullName;
            var file = Path.Combine(folder, "marks.txt");
            if (!File.Exists(file))
            {
                File.WriteAllText(file, "");
                File.SetUnixFileMode(file, (UnixFileMode)0x1B6); // 0666
            }
            return folder;
        }
    }

    string CliHome => Path.Combine(Root, "home");

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts PostgreSQL, Mosquitto, the server(s) and the relay, and installs <c>shell-fixtures</c> (enabled,
    /// assigned to the relay group <c>default</c>, <c>MARKER</c> in its configuration); returns once the relay runs it.
    /// <paramref name="settings"/> adds to or overrides every server's settings (keys as in the configuration,
    /// <c>Pipeline:TimeoutSeconds</c>). With <paramref name="servers"/> above 1, the servers share the database and the
    /// broker, each with its own instance name, port and data directory, behind HAProxy.</summary>
    public static async Task<FaultWorld> StartAsync(IReadOnlyDictionary<string, string>? settings = null, int servers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(servers, 1);
        var world = new FaultWorld(Directory.CreateTempSubdirectory("cog-faults-").FullName);
        try
        {
            await world.StartEverythingAsync(settings ?? new Dictionary<string, string>(), servers);
            return world;
        }
        catch
        {
            TestContext.Current.TestOutputHelper?.WriteLine(world.Consoles());
            await world.DisposeAsync();
            throw;
        }
    }

    async Task StartEverythingAsync(IReadOnlyDictionary<string, string> settings, int servers)
    {
        _postgres = await PostgresServer.StartAsync();
        var database = await _postgres.CreateDatabaseAsync();
        DatabaseConnectionString = _postgres.ConnectionString(database);
        _mosquitto = await MosquittoProcess.StartAsync(
            new Dictionary<string, string> { [ServerBrokerUser] = _brokerPassword, [RelayId] = _relayToken }, Token);
        // Behind a load balancer, relays download packages from its address and the servers believe its forwarded
        // headers (the caller's address for sign-in throttling); all servers sign the one audit chain with one key
        // (the first server creates it).
        var balancerPort = LoopbackPorts.Free();
        var behindBalancer = servers == 1 ? settings : new Dictionary<string, string>(settings)
        {
            ["Api:PublicUrl"] = $"http://127.0.0.1:{balancerPort}",
            ["Api:TrustedProxies:0"] = "127.0.0.1",
            ["Audit:KeyFile"] = Path.Combine(Root, "audit.key"),
        };
        // One server after another: the first creates the schema, the administrator and the relay.
        for (var i = 0; i < servers; i++)
        {
            var server = new ServerProcess(ServerSettings(i, behindBalancer), Root);
            _servers.Add(server);
            await server.StartAsync(Token);
        }
        if (servers > 1)
            _loadBalancer = await HaproxyProcess.StartAsync(balancerPort, [.. _servers.Select(s => s.ApiUrl)], Token);
        _http = new HttpClient { BaseAddress = _loadBalancer?.Url ?? Server.ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
        AdminToken = await ApiRequests.TokenAsync(Http, Admin, _adminPassword, Token);

        Directory.CreateDirectory(CliHome);
        await CogctlAsync("profile", "create", "faults", Http.BaseAddress!.ToString(), Admin, _adminPassword);
        var package = Path.Combine(Root, "shell-fixtures.cogbundle");
        await CogctlAsync("bundle", "package", "--output", package, Repository.TestBundle("shell-fixtures"));
        await CogctlAsync("bundle", "install", package, "--enable", "--relay-group", "default");
        await CogctlWithInputAsync(JsonSerializer.Serialize(new { MARKER = MarksFile }), "bundle", "config", "create", "shell-fixtures", "-");
        StartRelay();
        await WaitUntilRelayServesAsync();
    }

    /// <summary>The settings of server <paramref name="index"/> (0: the first, instance <c>faults</c>, data in
    /// <see cref="DataDirectory"/>; then <c>faults-2</c> in <c>data-2</c>...), each on a port of its own.</summary>
    Dictionary<string, string> ServerSettings(int index, IReadOnlyDictionary<string, string> settings)
    {
        var suffix = index == 0 ? "" : "-" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var serverSettings = new Dictionary<string, string>
        {
            ["DataDirectory"] = DataDirectory + suffix,
            ["InstanceName"] = "faults" + suffix,
            ["Api:Urls"] = $"http://127.0.0.1:{LoopbackPorts.Free()}",
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = DatabaseConnectionString,
            ["Broker:Embedded"] = "false",
            ["Broker:Url"] = $"mqtt://127.0.0.1:{Mosquitto.Port}",
            ["Broker:UserName"] = ServerBrokerUser,
            ["Broker:Password"] = _brokerPassword,
            ["Bootstrap:Username"] = Admin,
            ["Bootstrap:Password"] = _adminPassword,
            ["Bootstrap:EmailAddress"] = "admin@example.com",
            ["Bootstrap:FirstName"] = "Fault",
            ["Bootstrap:LastName"] = "Injector",
            ["Bootstrap:RelayId"] = RelayId,
            ["Bootstrap:RelayToken"] = _relayToken,
        };
        foreach (var (key, value) in settings)
            serverSettings[key] = value;
        return serverSettings;
    }

    // ---------------------------------------------------------------- the relay

    /// <summary>Starts the relay process (a fresh cache: it downloads what it is assigned).</summary>
    public void StartRelay()
    {
        Assert.Null(_relay);
        var folder = Directory.CreateDirectory(Path.Combine(Root, "relay-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var tokenFile = Path.Combine(folder, "token");
        File.WriteAllText(tokenFile, _relayToken);
        _relay = RelayProcess.Start(RelayId,
        [
            "--id", RelayId, "--token-file", tokenFile, "--broker", $"mqtt://127.0.0.1:{Mosquitto.Port}",
            "--server", Http.BaseAddress!.ToString(), "--cache", Path.Combine(folder, "cache"), "--keep-alive", "10",
            "--concurrency", "32", "--sandbox-writable", "shell-fixtures=" + MarksFolder,
        ]);
    }

    /// <summary>Kills the relay process (SIGKILL) in the middle of whatever it runs.</summary>
    public async Task KillRelayAsync()
    {
        Assert.NotNull(_relay);
        await _relay.KillAsync();
        _relayOutput += _relay.Output + "\n";
        await _relay.DisposeAsync();
        _relay = null;
    }

    /// <summary>Waits until the relay runs <c>shell-fixtures:slow 0</c> (it connects, downloads and announces in the
    /// background; until then the answer is that no relay serves the bundle).</summary>
    public async Task WaitUntilRelayServesAsync()
    {
        var limit = TimeSpan.FromSeconds(90);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = "shell-fixtures:slow 0" });
            if (status == HttpStatusCode.OK && body.GetProperty("pipeline").GetProperty("status").GetString() == "succeeded")
                return;
            Assert.True(watch.Elapsed < limit, $"The relay did not serve shell-fixtures within {limit}: {(int)status} {body}\n{Consoles()}");
            await Task.Delay(200, Token);
        }
    }

    // ---------------------------------------------------------------- the API and cogctl

    /// <summary>Sends a JSON request as the administrator and reads the JSON answer.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body) =>
        ApiRequests.SendAsync(Http, method, path, body, AdminToken, Token);

    /// <summary>Runs cogctl in-process as the administrator; fails the test unless it exits 0.</summary>
    public Task<ServerEnvironment.CliResult> CogctlAsync(params string[] args) => CogctlWithInputAsync("", args);

    /// <summary>Runs cogctl in-process with <paramref name="stdin"/> as its input; fails the test unless it exits 0.</summary>
    public async Task<ServerEnvironment.CliResult> CogctlWithInputAsync(string stdin, params string[] args)
    {
        var result = await ServerEnvironment.CogctlInAsync(CliHome, stdin, args);
        Assert.True(result.Code == 0, $"cogctl {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>Creates an active user with no group (so no permission) and returns an API token of theirs.</summary>
    public async Task<string> CreateUserAsync(string username, string password)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/users", new
        {
            user = new { username, email_address = $"{username}@example.com", password, first_name = username, last_name = "Attacker" },
        });
        Assert.True(status == HttpStatusCode.Created, $"POST /v1/users answered {(int)status}: {body}");
        return await ApiRequests.TokenAsync(Http, username, password, Token);
    }

    /// <summary>Fresh API tokens of the administrator, one per load client.</summary>
    public async Task<IReadOnlyList<string>> ClientTokensAsync(int count)
    {
        var tokens = new List<string>(count);
        for (var i = 0; i < count; i++)
            tokens.Add(await ApiRequests.TokenAsync(Http, Admin, _adminPassword, Token));
        return tokens;
    }

    /// <summary>Runs <paramref name="sql"/> on the server's database behind its back (as someone with database access
    /// would); returns the rows affected.</summary>
    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Token);
    }

    /// <summary>The whole audit log, page by page.</summary>
    public async Task<AuditTrail> AuditAsync()
    {
        var records = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"/v1/audit?after={after}&limit=1000", null);
            Assert.True(status == HttpStatusCode.OK, $"GET /v1/audit answered {(int)status}: {body}");
            var page = body.GetProperty("audit_records").EnumerateArray().ToList();
            if (page.Count == 0)
                return new AuditTrail(records);
            records.AddRange(page);
            after = page[^1].GetProperty("sequence").GetInt64();
        }
    }

    /// <summary>Every user's pipelines as the history lists them (<c>GET /v1/pipelines?user=all</c>).</summary>
    public async Task<IReadOnlyList<JsonElement>> PipelinesAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/v1/pipelines?user=all&limit=1000", null);
        Assert.True(status == HttpStatusCode.OK, $"GET /v1/pipelines answered {(int)status}: {body}");
        return [.. body.GetProperty("pipelines").EnumerateArray()];
    }

    /// <summary>The pipeline ids of the marks, one per run of <c>shell-fixtures:slow</c>, in the order they ran.</summary>
    public async Task<IReadOnlyList<string>> MarksAsync() =>
        File.Exists(MarksFile)
            ? [.. (await File.ReadAllLinesAsync(MarksFile, Token)).Where(l => l.Length > 0).Select(l => l[(l.LastIndexOf(' ') + 1)..])]
            : [];

    /// <summary>Whether the audit spool holds nothing.</summary>
    public bool SpoolIsEmpty => !File.Exists(SpoolFile) || new FileInfo(SpoolFile).Length == 0;

    /// <summary>The servers', the load balancer's and the relay's consoles, for failure messages.</summary>
    public string Consoles() =>
        string.Concat(_servers.Select((s, i) => $"---- server {i + 1} console\n{s.Output}\n"))
        + (_loadBalancer is null ? "" : $"---- HAProxy log\n{string.Join("\n", _loadBalancer.Log.TakeLast(200))}\n")
        + $"---- relay console\n{_relayOutput}{_relay?.Output}";

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
            TestContext.Current.TestOutputHelper?.WriteLine(Consoles());
        if (_relay is not null)
            await _relay.DisposeAsync();
        if (_loadBalancer is not null)
            await _loadBalancer.DisposeAsync();
        foreach (var server in _servers)
            await server.DisposeAsync();
        if (_mosquitto is not null)
            await _mosquitto.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        _http?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
