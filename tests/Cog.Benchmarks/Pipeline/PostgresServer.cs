using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cog.Benchmarks.Pipeline;

/// <summary>
/// The PostgreSQL the end-to-end benchmark writes its audit to: the server named by the <c>COG_BENCH_POSTGRES</c>
/// environment variable (an Npgsql connection string to a database the benchmark may create databases from), or else
/// a private cluster started the way <c>tests/Cog.Storage.Tests</c> starts one (initdb into a temporary folder, the
/// server on a free loopback port, stopped and deleted at the end) with PostgreSQL's durable defaults
/// (<c>fsync=on</c>, <c>synchronous_commit=on</c>).
/// </summary>
sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "COG_BENCH_POSTGRES";

    readonly string? _root;
    readonly string? _bin;
    readonly NpgsqlConnectionStringBuilder _server;

    PostgresServer(string? root, string? bin, NpgsqlConnectionStringBuilder server) => (_root, _bin, _server) = (root, bin, server);

    /// <summary>Where the server is (for the report).</summary>
    public string Description => _root is null ? $"{EnvironmentVariable} ({_server.Host}:{_server.Port})" : $"private cluster in {_root}";

    /// <summary>The server from the environment, or a fresh private cluster; <see langword="null"/> with a reason when
    /// neither is possible.</summary>
    public static async Task<(PostgresServer? Server, string? Reason)> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
            return (new PostgresServer(null, null, new NpgsqlConnectionStringBuilder(given)), null);
        var bin = FindBinaries();
        if (bin is null)
            return (null, $"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and {EnvironmentVariable} is not set");
        var root = Path.Combine(Path.GetTempPath(), "cog-bench-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        if (IsRoot())
            await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgres: false);
        var data = Path.Combine(root, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"], asPostgres: true);
        return (new PostgresServer(root, bin, new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres",
        }), null);
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "cog_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name, MaxPoolSize = 100 }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root is null || _bin is null)
            return;
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return null;
        var newest = Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .FirstOrDefault();
        return newest is null ? null : Path.Combine(newest, "bin");
    }

    static bool IsRoot() => Environment.UserName == "root";

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
