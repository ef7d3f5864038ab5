using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Relays;
using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>
/// A whole server (SQLite) on a real Mosquitto with persistence off (its default), a relay process, and 20 clients
/// running pipelines through the API while Mosquitto is killed and started again: no command runs twice, every
/// dispatched command has a completion record, every command that ran reports its result, and a relay started after
/// the restart serves its bundles with no administrative change.
/// </summary>
/// <remarks>The command leaves a unique mark per run: it appends its pipeline id (one stage per pipeline) to a file.</remarks>
[Trait("Category", "Faults")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BrokerRestartTests : IAsyncLifetime
{
    const string RelayId = "faults-relay";
    const string ServerUser = "cog-server";
    const int Clients = 20;
    const int PipelinesPerClient = 5;

    readonly string _relayToken = RelayToken.Generate();
    MosquittoProcess? _mosquitto;
    ServerEnvironment? _env;
    RelayProcess? _relay;
    string _marks = "";

    MosquittoProcess Mosquitto => _mosquitto!;

    ServerEnvironment Env => _env!;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var serverPassword = RelayToken.Generate();
        _mosquitto = await MosquittoProcess.StartAsync(new Dictionary<string, string> { [ServerUser] = serverPassword, [RelayId] = _relayToken }, Token);
        _env = await ServerEnvironment.StartAsync((options, _) =>
        {
            options.Database.Provider = "sqlite";
            options.Dev.Bundles = null;
            options.Broker.Embedded = false;
            options.Broker.Url = $"mqtt://127.0.0.1:{_mosquitto.Port}";
            options.Broker.UserName = ServerUser;
            options.Broker.Password = serverPassword;
        });

        // marks:mark appends its pipeline id to a file, then sleeps COG_ARGV_0 seconds.
        _marks = Path.Combine(Env.Root, "marks.txt");
        var script = Path.Combine(Env.Root, "mark.sh");
        await File.WriteAllTextAsync(script, $"""
            #!/bin/sh
            cat >/dev/null
            echo "$COG_PIPELINE_ID" >> "{_marks}"
            sleep "$COG_ARGV_0"
            echo "marked $COG_PIPELINE_ID"
            """, Token);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var manifest = Path.Combine(Env.Root, "marks.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            cog_bundle_version: 5
            name: marks
            description: Leaves one mark per run
            version: "1.0.0"
            commands:
              mark:
                executable: {script}
                rules:
                  - when command is marks:mark allow
            """, Token);
        await OkAsync("bundle", "install", manifest, "--enable");
        await OkAsync("relay", "create", RelayId, RelayId, _relayToken, "--enable");
        await OkAsync("relay-group", "create", "faults");
        await OkAsync("relay-group", "add", "faults", RelayId);
        await OkAsync("relay-group", "assign", "faults", "marks");
        _relay = StartRelay();
        await Env.WaitForRelayAsync("marks:mark 0");
    }

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null)
            await _relay.DisposeAsync();
        if (_env is not null)
            await _env.DisposeAsync();
        if (_mosquitto is not null)
            await _mosquitto.DisposeAsync();
    }

    async Task OkAsync(params string[] args)
    {
        var result = await Env.CogctlAsync(args);
        Assert.True(result.Code == 0, $"cogctl {string.Join(' ', args)}: {result}");
    }

    /// <summary>A relay process with a fresh cache (so it serves only what it is assigned now).</summary>
    RelayProcess StartRelay()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Env.Root, "relay-" + Guid.NewGuid().ToString("N"))).FullName;
        var tokenFile = Path.Combine(folder, "token");
        File.WriteAllText(tokenFile, _relayToken);
        return RelayProcess.Start(RelayId,
        [
            "--id", RelayId, "--token-file", tokenFile, "--broker", $"mqtt://127.0.0.1:{Mosquitto.Port}",
            "--server", Env.Server.ApiUrl.ToString(), "--cache", Path.Combine(folder, "cache"), "--keep-alive", "10",
            "--concurrency", "32",
        ]);
    }

    [Fact]
    public async Task Mosquitto_restarted_under_load_loses_no_result_runs_nothing_twice_and_the_relay_serves_after_its_own_restart()
    {
        var answers = new ConcurrentDictionary<string, JsonElement>();
        var finished = 0;
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < PipelinesPerClient; i++)
            {
                var pipeline = await Env.RunAsync("marks:mark 1");
                answers[pipeline.GetProperty("id").GetString()!] = pipeline;
                Interlocked.Increment(ref finished);
            }
        })).ToArray();

        // In the middle of the load: Mosquitto killed (every session and retained message gone) and started again.
        await Eventually.TrueAsync(() => Volatile.Read(ref finished) >= Clients, "the first pipelines to finish", TimeSpan.FromSeconds(60));
        await Mosquitto.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        await Mosquitto.StartAgainAsync(Token);
        await Task.WhenAll(clients);

        var marks = (await File.ReadAllLinesAsync(_marks, Token)).Where(l => l.Length > 0).ToList();
        var ranTwice = marks.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"ran twice: {string.Join(", ", ranTwice)}");

        var audit = await AuditAsync();
        var decided = audit.Where(r => Kind(r) == "invocation.decided" && Outcome(r) == "allowed").Select(PipelineId).ToHashSet();
        var completed = audit.Where(r => Kind(r) == "invocation.completed").ToDictionary(PipelineId, r => r);
        var withoutCompletion = decided.Where(id => !completed.ContainsKey(id)).ToList();
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion record: {string.Join(", ", withoutCompletion)}");

        // Every command that ran (left its mark) reported its result: completed ok, and the pipeline succeeded.
        var lost = marks.Where(id => answers.ContainsKey(id)
            && (answers[id].GetProperty("status").GetString() != "succeeded" || completed[id].GetProperty("payload").GetProperty("status").GetString() != "ok"))
            .Select(id => $"{id}: {answers[id]}").ToList();
        Assert.True(lost.Count == 0, $"ran but reported no result:\n{string.Join("\n", lost)}");
        Assert.Equal(Clients * PipelinesPerClient, answers.Count);
        Assert.DoesNotContain(answers.Values, a => a.GetProperty("message").ToString().Contains("may or may not have completed", StringComparison.Ordinal));

        // The relay restarted after the broker restart finds its assignments (the server published them again).
        await _relay!.DisposeAsync();
        _relay = StartRelay();
        await Env.WaitForRelayAsync("marks:mark 0");
    }

    static string Kind(JsonElement record) => record.GetProperty("kind").GetString()!;

    static string? Outcome(JsonElement record) => record.GetProperty("outcome").GetString();

    static string PipelineId(JsonElement record) => record.GetProperty("payload").GetProperty("pipeline_id").GetString()!;

    /// <summary>Every audit record, page by page.</summary>
    async Task<List<JsonElement>> AuditAsync()
    {
        var records = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var (status, body) = await Env.SendAsync(HttpMethod.Get, $"/v1/audit?after={after}&limit=1000", null);
            Assert.Equal(HttpStatusCode.OK, status);
            var page = body.GetProperty("audit_records").EnumerateArray().ToList();
            if (page.Count == 0)
                return records;
            records.AddRange(page);
            after = page[^1].GetProperty("sequence").GetInt64();
        }
    }
}
