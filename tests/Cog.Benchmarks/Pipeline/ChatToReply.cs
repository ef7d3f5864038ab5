using System.Diagnostics;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Postgres;
using Cog.Runtime.Rendering;
using Cog.Runtime.Slack.Rendering;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Templates;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cog.Benchmarks.Pipeline;

/// <summary>
/// "Chat text to rendered reply" for the built-in commands, in one process: the chat text (with its <c>!</c> prefix)
/// goes through the pipeline engine — parse, resolve, authorize, durable audit, dispatch, collect — and the outcome is
/// composed by the real reply composer (Cog's templates: the <c>text</c> fallback for <c>echo</c>, the <c>error</c> card
/// for failures) and rendered as the Slack messages the Slack provider would post. Three audit back ends: none (in memory), SQLite and PostgreSQL, each through the
/// group-commit <see cref="AuditWriter"/>; and, in the same run, the floors a durable commit cannot beat: the disk's
/// fsync of a 256-byte append, and a bare one-row commit on each database.
/// </summary>
/// <remarks>
/// <para>Every sequential run is timed on its own (p50/p99 of single pipelines, which BenchmarkDotNet's means of
/// iterations do not give); the paths take turns run by run so that all see the same machine and disk. A burst starts
/// <see cref="Burst"/> pipelines at once and times until the last reply; its figure is the median of the bursts.</para>
/// <para>Run with <c>./build.sh bench chat-to-reply [runs per round]</c>. PostgreSQL: the server named by
/// <c>COG_BENCH_POSTGRES</c>, or a private cluster (<see cref="PostgresServer"/>).</para>
/// </remarks>
static class ChatToReply
{
    const int Rounds = 5; // runs per path: Rounds × the runs-per-round argument
    const int Burst = 1000;
    const int Bursts = 7;
    static readonly PipelineCaller Caller = new("u-1", "alice", "alice", null, "bench");
    static readonly TemplateReplyComposer Composer = new(new NoBundleTemplates(), new TemplateEngine(null, TimeProvider.System));
    static readonly SlackReplyRenderer Slack = new();

    static readonly (string Name, string ChatText)[] Pipelines =
    [
        ("one stage", "!echo hello"),
        ("three stages", "!echo hello | echo $body[0] | echo done"),
    ];

    public static async Task<int> RunAsync(int perRound)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var (postgres, noPostgres) = await PostgresServer.StartAsync();
        try
        {
            return await RunAsync(perRound, folder, postgres, noPostgres);
        }
        finally
        {
            if (postgres is not null)
                await postgres.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    static async Task<int> RunAsync(int perRound, string folder, PostgresServer? postgres, string? noPostgres)
    {
        var directory = OperableDirectory.Load();
        var builtIns = new BuiltInCommands(directory, new StaticBundleDocumentation([]), new InMemoryNamedDataStore(),
            TimeProvider.System, BuiltInOptions.Default);
        PipelineEngine Engine(IPipelineAudit audit) => new(directory, builtIns, audit, TimeProvider.System, PipelineEngineOptions.Default);

        await using var sqlite = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, "cog.db") });
        await sqlite.MigrateAsync(CancellationToken.None);
        await using var sqliteWriter = new AuditWriter(sqlite.Audit, AuditKey.Generate());
        await using var fsync = new FsyncFloor(Path.Combine(folder, "fsync.bin"));
        await using var sqliteFloor = await SqliteCommitFloor.OpenAsync(Path.Combine(folder, "floor.db"));

        var backends = new List<(string Name, PipelineEngine Engine)>
        {
            ("in memory (no audit)", Engine(new NoAudit())),
            ("SQLite", Engine(new PipelineAuditLog(sqliteWriter))),
        };
        var floors = new List<(string Name, Func<Task> Commit)>
        {
            ("fsync of a 256-byte append", fsync.CommitAsync),
            ("SQLite: bare one-row commit", sqliteFloor.CommitAsync),
        };
        IStore? pgStore = null;
        AuditWriter? pgWriter = null;
        PostgresCommitFloor? pgFloor = null;
        if (postgres is not null)
        {
            pgStore = PostgresStore.Open(await postgres.CreateDatabaseAsync());
            await pgStore.MigrateAsync(CancellationToken.None);
            pgWriter = new AuditWriter(pgStore.Audit, AuditKey.Generate());
            pgFloor = await PostgresCommitFloor.OpenAsync(await postgres.CreateDatabaseAsync());
            backends.Add(("PostgreSQL", Engine(new PipelineAuditLog(pgWriter))));
            floors.Add(("PostgreSQL: bare one-row commit", pgFloor.CommitAsync));
        }
        try
        {
            await MeasureAsync(perRound, backends, floors, postgres?.Description ?? noPostgres);
        }
        finally
        {
            if (pgWriter is not null)
                await pgWriter.DisposeAsync();
            if (pgFloor is not null)
                await pgFloor.DisposeAsync();
            if (pgStore is not null)
                await pgStore.DisposeAsync();
        }
        return 0;
    }

    static async Task MeasureAsync(
        int perRound, List<(string Name, PipelineEngine Engine)> backends, List<(string Name, Func<Task> Commit)> floors, string? postgres)
    {
        var paths = new List<(string Name, Func<Task> Run, List<double> Samples)>();
        foreach (var (name, commit) in floors)
            paths.Add((name, commit, []));
        foreach (var (backend, engine) in backends)
        {
            foreach (var (pipeline, text) in Pipelines)
                paths.Add(($"{backend}, {pipeline}", () => ReplyAsync(engine, text), []));
        }

        foreach (var (_, run, _) in paths)
        {
            for (var i = 0; i < Math.Min(perRound, 500); i++)
                await run();
        }
        // Interleaved run by run: on a shared machine the disk's latency drifts within seconds, and every path should
        // see the same disk as its floor.
        for (var i = 0; i < Rounds * perRound; i++)
        {
            foreach (var (_, run, samples) in paths)
            {
                var started = Stopwatch.GetTimestamp();
                await run();
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        }

        var bursts = new List<(string Name, List<double> PerSecond)>();
        foreach (var (backend, engine) in backends)
        {
            foreach (var (pipeline, text) in Pipelines)
                bursts.Add(($"{backend}, {pipeline}", []));
        }
        for (var round = 0; round < Bursts + 1; round++)
        {
            var index = 0;
            foreach (var (_, engine) in backends)
            {
                foreach (var (_, text) in Pipelines)
                {
                    var perSecond = await BurstAsync(engine, text);
                    if (round > 0) // the first round warms up
                        bursts[index].PerSecond.Add(perSecond);
                    index++;
                }
            }
        }

        Console.WriteLine($"Chat text to rendered reply: {Rounds * perRound} sequential runs per path, taking turns; " +
            $"{Bursts} bursts of {Burst}; {Environment.ProcessorCount} cores; PostgreSQL: {postgres ?? "none"}.");
        Console.WriteLine();
        var fsyncP50 = Percentile(paths[0].Samples, 0.50);
        Console.WriteLine("| path | p50 | p99 | p50 vs fsync |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, _, samples) in paths)
        {
            var p50 = Percentile(samples, 0.50);
            Console.WriteLine($"| {name} | {p50:0.0} µs | {Percentile(samples, 0.99):0.0} µs | {p50 / fsyncP50:0.00}× |");
        }
        Console.WriteLine();
        Console.WriteLine($"| burst of {Burst} | pipelines/s (median) | min | max |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, perSecond) in bursts)
            Console.WriteLine($"| {name} | {Percentile(perSecond, 0.5):0} | {perSecond.Min():0} | {perSecond.Max():0} |");
    }

    /// <summary>One chat message to the Slack messages of its reply.</summary>
    static async Task<IReadOnlyList<SlackMessagePart>> ReplyAsync(PipelineEngine engine, string chatText)
    {
        var started = TimeProvider.System.GetUtcNow();
        var text = chatText[1..];
        var outcome = await engine.RunAsync(new PipelineRequest(text, Caller, PipelineRoom.Direct), CancellationToken.None);
        var reply = await Composer.ComposeAsync(outcome, new ReplyContext(text, "@" + Caller.ChatHandle, started), CancellationToken.None);
        return Slack.Render(reply);
    }

    /// <summary>The built-in commands have no bundle templates: replies come from Cog's common templates.</summary>
    sealed class NoBundleTemplates : ITemplateSource
    {
        public ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken) =>
            ValueTask.FromResult<BundleTemplates?>(null);
    }

    static async Task<double> BurstAsync(PipelineEngine engine, string chatText)
    {
        var runs = new Task<IReadOnlyList<SlackMessagePart>>[Burst];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Burst; i++)
            runs[i] = ReplyAsync(engine, chatText);
        await Task.WhenAll(runs);
        return Burst / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    static double Percentile(List<double> samples, double fraction)
    {
        var sorted = samples.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Round(fraction * (sorted.Length - 1)))];
    }

    /// <summary>The disk's durable-write latency: append 256 bytes to a file and fsync it.</summary>
    sealed class FsyncFloor(string path) : IAsyncDisposable
    {
        readonly FileStream _file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        readonly byte[] _record = new byte[256];

        public Task CommitAsync()
        {
            _file.Write(_record);
            _file.Flush(flushToDisk: true);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => _file.DisposeAsync();
    }

    /// <summary>The least a durable SQLite commit costs with the store's settings (WAL, synchronous=FULL): one
    /// 500-byte row inserted in its own transaction on one open connection.</summary>
    sealed class SqliteCommitFloor(SqliteConnection connection, SqliteCommand insert) : IAsyncDisposable
    {
        public static async Task<SqliteCommitFloor> OpenAsync(string path)
        {
            var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            await using (var setup = connection.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
                await setup.ExecuteNonQueryAsync();
            }
            var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t (v) VALUES ($v)";
            insert.Parameters.AddWithValue("$v", new string('x', 500));
            insert.Prepare();
            return new SqliteCommitFloor(connection, insert);
        }

        public Task CommitAsync() => insert.ExecuteNonQueryAsync();

        public async ValueTask DisposeAsync()
        {
            await insert.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>The least a durable PostgreSQL commit costs: one 500-byte row inserted in its own transaction on one
    /// open connection.</summary>
    sealed class PostgresCommitFloor(NpgsqlConnection connection, NpgsqlCommand insert) : IAsyncDisposable
    {
        public static async Task<PostgresCommitFloor> OpenAsync(string connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using (var setup = new NpgsqlCommand("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)", connection))
                await setup.ExecuteNonQueryAsync();
            var insert = new NpgsqlCommand("INSERT INTO t (v) VALUES ($1)", connection);
            insert.Parameters.AddWithValue(new string('x', 500));
            await insert.PrepareAsync();
            return new PostgresCommitFloor(connection, insert);
        }

        public Task CommitAsync() => insert.ExecuteNonQueryAsync();

        public async ValueTask DisposeAsync()
        {
            await insert.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
