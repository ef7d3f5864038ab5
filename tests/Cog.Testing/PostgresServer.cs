using System.Diagnostics;

namespace Cog.Testing;

/// <summary>A private PostgreSQL server for a test assembly: initdb into a temporary folder, the server on a free
/// loopback port with its socket in that folder, stopped and deleted on dispose. Debian's <c>postgresql</c> package
/// provides the binaries (build.sh installs it). initdb and postgres refuse to run as root, so as root they run as the
/// <c>postgres</c> user, in a folder it owns. Databases are made with the <c>createdb</c> program, so this helper
/// needs no database driver. A test can stop the server and start it again on the same data and port (an outage).</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "cog-pg-" + Guid.NewGuid().ToString("N")[..12]);
    readonly string _bin;
    bool _started;

    PostgresServer(string bin) => _bin = bin;

    string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Initializes a cluster and starts the server; fails (never skips) when PostgreSQL is not installed.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer(BinDirectory());
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres", bool pooling = true) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling={(pooling ? "true" : "false")}";

    /// <summary>Creates a database with a unique name as a copy of <paramref name="template"/> and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string template = "template0")
    {
        var name = "cog_" + Guid.NewGuid().ToString("N")[..16];
        await CreateDatabaseAsync(name, template);
        return name;
    }

    /// <summary>Creates the database <paramref name="name"/> as a copy of <paramref name="template"/>.</summary>
    public Task CreateDatabaseAsync(string name, string template) =>
        RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-T", template, name], asPostgres: false);

    async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        if (IsRoot())
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
        await RunAsync(Path.Combine(_bin, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);
        Port = LoopbackPorts.Free();
        await StartServerAsync();
    }

    /// <summary>Stops the server as a crash would (<c>pg_ctl stop -m immediate</c>: every connection is dropped, nothing
    /// is flushed); the cluster stays, for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (!_started)
            return;
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asPostgres: true);
        _started = false;
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same data directory and port (it recovers
    /// from its write-ahead log as after a crash).</summary>
    public Task StartAgainAsync() =>
        _started ? throw new InvalidOperationException("PostgreSQL is running.") : StartServerAsync();

    async Task StartServerAsync()
    {
        await RunAsync(Path.Combine(_bin, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
             "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"], asPostgres: true);
        _started = true;
    }

    /// <summary>Stops the server (immediately) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    /// <summary>The folder of the newest installed PostgreSQL's programs (<c>/usr/lib/postgresql/VERSION/bin</c>);
    /// fails when PostgreSQL is not installed.</summary>
    public static string BinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.Count > 0
            ? Path.Combine(candidates[0], "bin")
            : throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install Debian's postgresql package, as ./build.sh test does.");
    }

    static bool IsRoot() => Environment.UserName == "root";

    static async Task RunAsync(string file, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && IsRoot())
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file])
                start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = file;
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }
}
