using System.Globalization;
using System.Net;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Support;
using Cog.Testing;

namespace Cog.Integration.Tests.Failover;

/// <summary>Two servers on one PostgreSQL and one Mosquitto behind HAProxy; 20 clients run pipelines through it (so on
/// both servers) and the first server is killed (SIGKILL) and not started again. Every request is answered: a result,
/// or, for a request that was in flight on the dead server, an error the client sees (HAProxy's 502, or the connection
/// closed without an answer); every request sent after the kill gets a result
/// (from the survivor); no reply comes twice and no command runs twice; the survivor marks the dead server's pipelines
/// interrupted in the audit log, and the chain verifies.</summary>
[Trait("Category", "Failover")]
[Collection(FailoverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerKilledUnderLoadTests() : FaultScenario(servers: 2)
{
    [Fact]
    public async Task A_server_killed_under_load_leaves_every_request_answered_once_and_its_pipelines_interrupted_by_the_survivor()
    {
        var tokens = await World.ClientTokensAsync(Clients);
        var load = LoadDriver.Start(World.Http.BaseAddress!, tokens, "shell-fixtures:slow 0.3");
        await Eventually.TrueAsync(() => load.Succeeded >= 2 * Clients, "the first pipelines to succeed", TimeSpan.FromSeconds(60));
        Assert.True(ServedBy(HaproxyProcess.ServerName(0)) > 0 && ServedBy(HaproxyProcess.ServerName(1)) > 0,
            $"both servers should take pipelines before the kill:\n{World.Consoles()}");

        var killStarted = load.Elapsed;
        await World.Servers[0].KillAsync();
        var killed = load.Elapsed;
        var before = load.Succeeded;
        await WaitUntilAsync(() => load.Succeeded >= before + 2 * Clients, () => "pipelines to succeed on the survivor; answers since the kill:\n"
            + string.Join("\n", load.Answers.Where(a => a.Sent >= killed).GroupBy(a => $"{a.Status} {a.Body}").Select(g => $"{g.Count()} x {g.Key}").Take(10)));
        var answers = await load.StopAsync();

        var inFlight = answers.Where(a => a.Sent < killed && a.Answered >= killStarted).ToList();
        var after = answers.Where(a => a.Sent >= killed).ToList();
        var firstAfter = after.Where(a => a.Run?.Status == "succeeded").Min(a => a.Answered) - killStarted;
        Report($"requests: {answers.Count}; in flight at the kill: {inFlight.Count}, of which answered with a result: "
            + $"{inFlight.Count(a => a.Run is not null)}, cut off (502 or connection closed): {inFlight.Count(CutOff)}; "
            + $"sent after the kill: {after.Count}, answered with a result: {after.Count(a => a.Run is not null)}; "
            + $"first success of a request sent after the kill: {firstAfter.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s after the kill");

        // Every answer is a result; the only errors are for requests in flight on the dead server.
        var unexpected = answers.Where(a => a.Run is null && !(CutOff(a) && inFlight.Contains(a))).ToList();
        Assert.True(unexpected.Count == 0, $"answers that are neither a result nor an error for a request in flight at the kill:\n{string.Join("\n", unexpected.Take(20))}");
        var failed = answers.Where(a => a.Run is { } run && run.Status != "succeeded").ToList();
        Assert.True(failed.Count == 0, $"pipelines that did not succeed:\n{string.Join("\n", failed.Take(20))}");

        // No reply twice, no command twice, and nothing answered succeeded without having run.
        var replies = answers.Where(a => a.Run is not null).Select(a => a.Run!.Value.Id).ToList();
        Assert.True(replies.Count == replies.Distinct().Count(), "a pipeline was answered twice");
        var marks = await World.MarksAsync();
        var ranTwice = marks.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"commands that ran twice: {string.Join(", ", ranTwice)}");
        var markSet = marks.ToHashSet();
        Assert.All(replies, id => Assert.Contains(id, markSet));

        // The survivor marks what the dead server left running, without the dead server starting again.
        await WaitUntilNothingRunsAsync(TimeSpan.FromSeconds(90));
        var audit = await World.AuditAsync();
        var withoutEnd = audit.StartedWithoutEnd();
        Assert.True(withoutEnd.Count == 0, $"pipelines started without an end or interruption: {string.Join(", ", withoutEnd)} ({audit.Summary()})");
        var withoutCompletion = audit.DispatchedWithoutCompletion(orInterrupted: true);
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion or interruption record: {string.Join(", ", withoutCompletion)}");
        var interrupted = audit.Records.Where(r => r.GetProperty("kind").GetString() == "pipeline.interrupted").ToList();
        Assert.NotEmpty(interrupted);
        Assert.All(interrupted, r => Assert.Equal("faults", r.GetProperty("payload").GetProperty("instance").GetString()));
        await World.CogctlAsync("audit", "verify");
    }

    /// <summary>A request the kill cut off: HAProxy answered 502, or closed the connection without an answer.</summary>
    static bool CutOff(LoadAnswer answer) => answer.Status is null or HttpStatusCode.BadGateway;

    int ServedBy(string server) => World.LoadBalancer.Log.Count(l => l.Contains("servers/" + server + " ", StringComparison.Ordinal) && l.Contains("POST /v1/pipelines", StringComparison.Ordinal));

    async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Timed out waiting for {what()}\n{World.Consoles()}");
            await Task.Delay(50, Token);
        }
    }

    /// <summary>Waits until no pipeline is running or waiting in the shared history: the survivor has marked the dead
    /// server's pipelines interrupted (the survivor's own ended when the load stopped).</summary>
    async Task WaitUntilNothingRunsAsync(TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var running = (await World.PipelinesAsync()).Where(p => p.GetProperty("state").GetString() is "running" or "waiting").ToList();
            if (running.Count == 0)
                return;
            Assert.True(watch.Elapsed < limit, $"pipelines still running {limit} after the kill (the survivor did not mark them interrupted):\n{string.Join("\n", running)}");
            await Task.Delay(250, Token);
        }
    }

    static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
