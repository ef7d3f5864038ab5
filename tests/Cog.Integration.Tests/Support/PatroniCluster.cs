using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cog.Testing;
using Npgsql;

namespace Cog.Integration.Tests.Support;

/// <summary>
/// A PostgreSQL cluster run by Patroni, as an operator runs one for failover, on loopback ports in a temporary folder:
/// one etcd (Debian's <c>etcd-server</c>) as Patroni's store of the leader key, and two Patroni members (Debian's
/// <c>patroni</c>) each running a PostgreSQL of Debian's <c>postgresql</c> package. <c>synchronous_mode</c> is on, so
/// the primary's commits wait for the synchronous standby (<c>synchronous_commit = on</c>): what a client saw committed
/// survives the primary's loss. <c>./build.sh test</c> installs the packages.
/// </summary>
/// <remarks>PostgreSQL refuses to run as root, so as root Patroni runs as the <c>postgres</c> user (as
/// <see cref="PostgresServer"/> runs its server), in a folder it owns. Patroni's leader key lives <see cref="Ttl"/>: a
/// dead primary's key expires after it, and the synchronous standby then promotes itself.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class PatroniCluster : IAsyncDisposable
{
    /// <summary>How long the leader key lives without its holder renewing it: the longest a dead primary holds up a
    /// failover. Patroni requires <c>loop_wait + 2 × retry_timeout ≤ ttl</c>.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    const string Patroni = "/usr/bin/patroni";
    const string Etcd = "/usr/bin/etcd";
    const int LoopWaitSeconds = 2;
    const int RetryTimeoutSeconds = 5;

    /// <summary>How long the cluster may take to have a primary and a streaming synchronous standby on a loaded machine
    /// (initdb, a base backup, two Patroni loops).</summary>
    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);

    readonly string _root = Path.Combine(Path.GetTempPath(), "cog-patroni-" + Guid.NewGuid().ToString("N")[..12]);
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    readonly List<Member> _members = [];
    ChildProcess? _etcd;

    PatroniCluster()
    {
    }

    /// <summary>The two members, in the order of their ports in <see cref="ConnectionString"/>.</summary>
    public IReadOnlyList<Member> Members => _members;

    /// <summary>Starts etcd and both members and waits until one is the primary and the other its streaming
    /// synchronous standby; fails (never skips) when a package is missing.</summary>
    public static async Task<PatroniCluster> StartAsync(CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Patroni) && File.Exists(Etcd),
            "Patroni or etcd is not installed: run the tests with ./build.sh test, which installs Debian's patroni and etcd-server packages.");
        var cluster = new PatroniCluster();
        try
        {
            await cluster.StartEverythingAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    async Task StartEverythingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        var etcdClient = LoopbackPorts.Free();
        var etcdPeer = LoopbackPorts.Free();
        _etcd = ChildProcess.Start("etcd", Etcd, asPostgres: false,
        [
            "--name", "etcd0", "--data-dir", Path.Combine(_root, "etcd"),
            "--listen-client-urls", $"http://127.0.0.1:{etcdClient}", "--advertise-client-urls", $"http://127.0.0.1:{etcdClient}",
            "--listen-peer-urls", $"http://127.0.0.1:{etcdPeer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{etcdPeer}",
            "--initial-cluster", $"etcd0=http://127.0.0.1:{etcdPeer}",
        ]);
        var bin = PostgresServer.BinDirectory();
        for (var i = 0; i < 2; i++)
            _members.Add(new Member($"pg{i}", Path.Combine(_root, $"pg{i}"), LoopbackPorts.Free(), LoopbackPorts.Free()));
        foreach (var member in _members)
        {
            Directory.CreateDirectory(member.Folder);
            await File.WriteAllTextAsync(member.Configuration, Configuration(member, etcdClient, bin), cancellationToken);
        }
        if (IsRoot())
            await RunAsync("chown", ["-R", "postgres:postgres", _root], cancellationToken);
        foreach (var member in _members)
            member.Patroni = ChildProcess.Start(member.Name, Patroni, asPostgres: IsRoot(), [member.Configuration]);
        await WaitUntilAsync(async () => await SynchronousPairAsync(cancellationToken) is not null,
            "a primary and a streaming synchronous standby", StartLimit, cancellationToken);
    }

    /// <summary>A member's Patroni configuration: its PostgreSQL on <see cref="Member.PostgresPort"/>, trust on
    /// loopback (for the superuser <c>postgres</c> and the replication user), <c>synchronous_mode</c> and the timing of
    /// <see cref="Ttl"/> in the cluster-wide settings Patroni writes to etcd at bootstrap.</summary>
    static string Configuration(Member member, int etcdPort, string bin) => $"""
        scope: cog-test
        namespace: /cog-test/
        name: {member.Name}
        log:
          level: INFO
        restapi:
          listen: 127.0.0.1:{member.RestPort}
          connect_address: 127.0.0.1:{member.RestPort}
        etcd3:
          hosts: 127.0.0.1:{etcdPort}
        bootstrap:
          dcs:
            ttl: {(int)Ttl.TotalSeconds}
            loop_wait: {LoopWaitSeconds}
            retry_timeout: {RetryTimeoutSeconds}
            maximum_lag_on_failover: 1048576
            synchronous_mode: true
            postgresql:
              use_pg_rewind: false
              parameters:
                synchronous_commit: "on"
                max_connections: 200
                max_wal_senders: 5
                max_replication_slots: 5
                wal_level: replica
                hot_standby: "on"
          initdb:
          - encoding: UTF8
          - locale: C
          - auth: trust
          pg_hba:
          - local all all trust
          - host replication all 127.0.0.1/32 trust
          - host all all 127.0.0.1/32 trust
        postgresql:
          listen: 127.0.0.1:{member.PostgresPort}
          connect_address: 127.0.0.1:{member.PostgresPort}
          data_dir: {member.DataDirectory}
          bin_dir: {bin}
          pgpass: {Path.Combine(member.Folder, "pgpass")}
          authentication:
            superuser:
              username: postgres
            replication:
              username: replicator
          parameters:
            unix_socket_directories: {member.Folder}
        """;

    /// <summary>Npgsql's multi-host connection string to <paramref name="database"/> on both members, as Cog is
    /// configured for a Patroni cluster: <c>Target Session Attributes=primary</c> picks whichever member is the
    /// primary now.</summary>
    public string ConnectionString(string database) =>
        $"Host={string.Join(',', _members.Select(m => $"127.0.0.1:{m.PostgresPort}"))};Username=postgres;Database={database};"
        + "Target Session Attributes=primary";

    /// <summary>Creates <paramref name="database"/> on the primary (the standby replicates it).</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The primary and its streaming synchronous standby as Patroni's REST API reports them (<c>GET
    /// /cluster</c> of any member that answers), or <see langword="null"/> while there is no such pair.</summary>
    public async Task<(Member Primary, Member Standby)?> SynchronousPairAsync(CancellationToken cancellationToken)
    {
        var roles = await RolesAsync(cancellationToken);
        var primary = _members.FirstOrDefault(m => roles.TryGetValue(m.Name, out var r) && r is ("leader", "running"));
        var standby = _members.FirstOrDefault(m => roles.TryGetValue(m.Name, out var r) && r is ("sync_standby", "streaming" or "running"));
        return primary is not null && standby is not null ? (primary, standby) : null;
    }

    /// <summary>The member that is the running primary now, or <see langword="null"/> while there is none.</summary>
    public async Task<Member?> PrimaryAsync(CancellationToken cancellationToken)
    {
        var roles = await RolesAsync(cancellationToken);
        return _members.FirstOrDefault(m => roles.TryGetValue(m.Name, out var r) && r is ("leader", "running"));
    }

    /// <summary>Each member's (role, state) from the first live member's <c>GET /cluster</c>.</summary>
    async Task<Dictionary<string, (string Role, string State)>> RolesAsync(CancellationToken cancellationToken)
    {
        foreach (var member in _members.Where(m => !m.Killed))
        {
            try
            {
                using var cluster = await _http.GetFromJsonAsync<JsonDocument>(
                    $"http://127.0.0.1:{member.RestPort}/cluster", cancellationToken);
                return cluster!.RootElement.GetProperty("members").EnumerateArray().ToDictionary(
                    m => m.GetProperty("name").GetString()!,
                    m => (m.GetProperty("role").GetString()!, m.TryGetProperty("state", out var s) ? s.GetString()! : ""));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Not answering yet (or any more): ask the next one.
            }
        }
        return [];
    }

    /// <summary>Kills <paramref name="member"/> as a lost machine dies: its Patroni and its PostgreSQL (the postmaster
    /// of <c>postmaster.pid</c>, which Patroni starts in a session of its own, with every backend) with SIGKILL, nothing
    /// flushed, nothing handed over. Its leader key stays in etcd until <see cref="Ttl"/> passes.</summary>
    public async Task KillAsync(Member member)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(member.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        member.Killed = true;
        // Patroni first, so that it cannot start the postmaster again; waiting for it comes last, as its console pipes
        // stay open until the postmaster (which inherited them) is dead too.
        member.Patroni!.Kill();
        using (var process = Process.GetProcessById(postmaster))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await member.Patroni.KillAsync();
    }

    /// <summary>Patroni's and etcd's consoles, for failure messages.</summary>
    public string Consoles() => string.Join("\n", _members.Select(m => $"---- patroni {m.Name}\n{m.Patroni?.Output}"))
        + $"\n---- etcd\n{_etcd?.Output}";

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members.Where(m => !m.Killed && m.Patroni is not null))
        {
            try
            {
                await KillAsync(member);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException)
            {
                // No postmaster (it never started, or already stopped): the Patroni process is gone either way.
                await member.Patroni!.KillAsync();
            }
        }
        if (_etcd is not null)
            await _etcd.KillAsync();
        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException($"Timed out after {limit} waiting for {what}.");
            await Task.Delay(200, cancellationToken);
        }
    }

    static bool IsRoot() => Environment.UserName == "root";

    static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
    }

    /// <summary>One Patroni member: its folder (configuration, PostgreSQL's data and socket), its PostgreSQL port and its
    /// REST API port.</summary>
    public sealed class Member(string name, string folder, int postgresPort, int restPort)
    {
        public string Name => name;

        public string Folder => folder;

        public int PostgresPort => postgresPort;

        public int RestPort => restPort;

        public string DataDirectory => Path.Combine(folder, "data");

        public string Configuration => Path.Combine(folder, "patroni.yml");

        internal ChildProcess? Patroni { get; set; }

        internal bool Killed { get; set; }

        public override string ToString() => $"{name} (PostgreSQL on {postgresPort})";
    }

    /// <summary>A long-running child process (etcd, a Patroni) with its console kept for failure messages; as root,
    /// started as the <c>postgres</c> user when <c>asPostgres</c>.</summary>
    internal sealed class ChildProcess
    {
        readonly Process _process;
        readonly ConcurrentQueue<string> _output = new();
        bool _killed;

        ChildProcess(Process process) => _process = process;

        public string Output => string.Join("\n", _output);

        public static ChildProcess Start(string name, string file, bool asPostgres, IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asPostgres)
            {
                foreach (var argument in (string[])["-u", "postgres", "--", file])
                    start.ArgumentList.Add(argument);
            }
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            var process = new Process { StartInfo = start };
            var child = new ChildProcess(process);
            process.OutputDataReceived += (_, e) => child.Add(e.Data);
            process.ErrorDataReceived += (_, e) => child.Add(e.Data);
            child._output.Enqueue($"---- {name}: {file}");
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        void Add(string? line)
        {
            if (line is not null)
                _output.Enqueue(line);
        }

        /// <summary>SIGKILL to the process and everything it started (through <c>runuser</c>, the program itself),
        /// without waiting.</summary>
        public void Kill()
        {
            if (!_killed && !_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }

        /// <summary>Kills the process (<see cref="Kill"/>) and waits until it has exited and its console is closed:
        /// whatever inherited the console (a postmaster started by Patroni) must be dead too.</summary>
        public async Task KillAsync()
        {
            if (_killed)
                return;
            Kill();
            _killed = true;
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            _process.Dispose();
        }
    }
}
