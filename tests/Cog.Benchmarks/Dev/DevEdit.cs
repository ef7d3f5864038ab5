using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cog.Benchmarks.Relays;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Benchmarks.Dev;

/// <summary>
/// Dev mode's edit to next invocation, end to end through the server: a whole server on SQLite in dev mode with its dev
/// relay process, serving a folder with a C# script bundle and a plug-in bundle. Each script edit saves the script with
/// a new answer; each assembly edit writes the other build of the plug-in (<c>Cog.Fixtures.Greeter.V1</c>/<c>V2</c>) over
/// the bundle's <c>lib/</c>, as <c>dotnet build</c> into it does when it finishes. The figure is the time from the end of
/// the write to the first <c>POST /v1/pipelines</c> answering with the new code (invocations run back to back); beside
/// it, in the same run, the floor: one invocation of the unchanged bundle once the edit has settled.
/// </summary>
/// <remarks>Run with <c>./build.sh bench dev-edit [edits of each kind]</c>; the relay executable is the Release build of
/// relay/Cog.Relay (built with this project).</remarks>
static class DevEdit
{
    const string ScriptManifest = """
        cog_bundle_version: 6
        name: devscript
        description: A script bundle under development
        version: "0.1.0"
        commands:
          hello:
            script: hello.csx
            description: Says which edit runs
            rules:
              - allow
        """;

    const string GreeterManifest = """
        cog_bundle_version: 6
        name: greeter
        description: Greets people
        version: "1.0.0"
        assembly: lib/Cog.Fixtures.Greeter.dll
        commands:
          greet:
            type: Cog.Fixtures.Greeter.Greet
            rules:
              - allow
        """;

    const string Hello = "devscript:hello";
    const string Greet = "greeter:greet ada";
    static readonly string[] Greetings = ["""[{"greeting":"Hello, ada","version":1}]""", """[{"greeting":"Welcome back, ada!","version":2}]"""];
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    const int Restarts = 3;

    public static async Task<int> RunAsync(int edits)
    {
        var root = Directory.CreateTempSubdirectory("cog-bench-dev-").FullName;
        var bundles = Path.Combine(root, "bundles");
        try
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(bundles, "devscript")).FullName, "config.yaml"), ScriptManifest);
            WriteScript(bundles, 0);
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(bundles, "greeter")).FullName, "config.yaml"), GreeterManifest);
            Build(bundles, 1);

            var repository = CogBus.RepositoryRoot();
            var options = new ServerOptions
            {
                DataDirectory = Path.Combine(root, "data"),
                InstanceName = "bench",
                Api = { Urls = "http://127.0.0.1:0" },
                Broker = { Port = 0 },
                Dev = { Bundles = bundles, RelayExecutable = Path.Combine(repository, "relay", "Cog.Relay", "bin", "Release", "net10.0", "Cog.Relay.dll") },
                Database = { Provider = "sqlite" },
            };
            await using var server = await CogServer.StartAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
            using var http = new HttpClient { BaseAddress = server.ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
            var admin = server.CreatedAdmin ?? throw new InvalidOperationException("The server did not create an administrator.");
            using (var response = await http.PostAsJsonAsync("/v1/token", new { username = admin.Username, password = admin.Password }))
            {
                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                http.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("token").GetProperty("value").GetString());
            }

            // The relay's start (and its first compile) is not an edit: wait for both bundles to answer.
            await ReachAsync(http, Hello, Answer(0));
            await ReachAsync(http, Greet, Greetings[0]);

            var script = new List<(double Reached, double Floor)>();
            var assembly = new List<(double Reached, double Floor)>();
            for (var edit = 1; edit <= edits; edit++)
            {
                WriteScript(bundles, edit);
                script.Add(await MeasureAsync(http, Hello, Answer(edit)));
                Build(bundles, edit % 2 == 1 ? 2 : 1);
                assembly.Add(await MeasureAsync(http, Greet, Greetings[edit % 2]));
            }

            // The first script edit after the dev relay restarted (as it does with the server): the script it serves was
            // compiled before, so the edit is the new process's first compile.
            var restarted = new List<(double Reached, double Floor)>();
            for (var restart = 1; restart <= Restarts; restart++)
            {
                await RestartRelayAsync(server, http, Answer(edits + restart - 1));
                WriteScript(bundles, edits + restart);
                restarted.Add(await MeasureAsync(http, Hello, Answer(edits + restart)));
            }

            Console.WriteLine($"Dev mode, edit to next invocation through POST /v1/pipelines ({edits} edits of each kind, {Restarts} relay restarts; ms)");
            Console.WriteLine("| edit | reached p50 | reached max | floor p50 (unchanged invocation) |");
            Console.WriteLine("|---|---|---|---|");
            Report("script saved", script);
            Report("assembly rebuilt (build output copied into lib/)", assembly);
            Report("script saved, first edit after the dev relay restarted", restarted);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Kills the dev relay process (the server's supervisor starts a new one) and waits until the new one
    /// serves the script bundle, answering <paramref name="current"/>.</summary>
    static async Task RestartRelayAsync(CogServer server, HttpClient http, string current)
    {
        var relay = server.DevRelay ?? throw new InvalidOperationException("The server runs no dev relay.");
        var killed = relay.ProcessId ?? throw new InvalidOperationException("The dev relay is not running.");
        using (var process = Process.GetProcessById(killed))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        var watch = Stopwatch.StartNew();
        while (relay.ProcessId is not { } started || started == killed)
        {
            if (watch.Elapsed > Limit)
                throw new InvalidOperationException("The dev relay was not started again.");
            await Task.Delay(50);
        }
        await ReachAsync(http, Hello, current);
    }

    static string Answer(int edit) => $$"""[{"edit":{{edit}}}]""";

    static void WriteScript(string bundles, int edit) =>
        File.WriteAllText(Path.Combine(bundles, "devscript", "hello.csx"), $"return new {{ edit = {edit} }};\n");

    /// <summary>Copies the build output of <c>Cog.Fixtures.Greeter.V<paramref name="version"/></c> over the bundle's lib/.</summary>
    static void Build(string bundles, int version)
    {
        var source = Path.Combine(CogBus.RepositoryRoot(), "tests", "fixtures", "bundles", $"Cog.Fixtures.Greeter.V{version}", "bin", "Release", "net10.0");
        var lib = Directory.CreateDirectory(Path.Combine(bundles, "greeter", "lib")).FullName;
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(lib, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>The time from now to the first invocation answering <paramref name="expected"/>, and then one more
    /// invocation's (the floor) once the server has taken the edit (the next answer is the same).</summary>
    static async Task<(double Reached, double Floor)> MeasureAsync(HttpClient http, string pipeline, string expected)
    {
        var reached = await ReachAsync(http, pipeline, expected);
        await Task.Delay(500); // let the relay's re-announcement and the server's install finish: the floor is a settled invocation
        var floor = Stopwatch.StartNew();
        var (output, run) = await RunAsync(http, pipeline);
        floor.Stop();
        if (output != expected)
            throw new InvalidOperationException($"'{pipeline}' once settled: expected {expected}, got {run}");
        return (reached.TotalMilliseconds, floor.Elapsed.TotalMilliseconds);
    }

    static async Task<TimeSpan> ReachAsync(HttpClient http, string pipeline, string expected)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (output, run) = await RunAsync(http, pipeline);
            if (output == expected)
                return watch.Elapsed;
            if (watch.Elapsed > Limit)
                throw new InvalidOperationException($"'{pipeline}' did not answer {expected} within {Limit}: {run}");
        }
    }

    /// <summary>The pipeline's output as JSON ("" when it did not succeed) and the whole run, for messages.</summary>
    static async Task<(string Output, string Run)> RunAsync(HttpClient http, string pipeline)
    {
        using var response = await http.PostAsJsonAsync("/v1/pipelines", new { pipeline });
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        var run = body.RootElement.TryGetProperty("pipeline", out var p) ? p : body.RootElement;
        var succeeded = run.TryGetProperty("status", out var status) && status.GetString() == "succeeded";
        return (succeeded && run.TryGetProperty("output", out var items) ? JsonSerializer.Serialize(items) : "", text);
    }

    static void Report(string edit, List<(double Reached, double Floor)> runs)
    {
        var reached = runs.Select(static r => r.Reached).Order().ToList();
        var floor = runs.Select(static r => r.Floor).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {edit} | {reached[reached.Count / 2]:F0} | {reached[^1]:F0} | {floor[floor.Count / 2]:F0} |"));
    }
}
