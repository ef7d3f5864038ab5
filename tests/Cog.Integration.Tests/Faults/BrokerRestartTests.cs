using System.Net;
using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>Mosquitto stopped (every session and retained message gone, as its persistence is off) while 20 clients run
/// pipelines through the API, and started again: every answer is a result, no command runs twice, every dispatched
/// command has a completion record, every command that ran reports its result, and the relay, restarted after the
/// broker, serves its bundle with no administrative change (the server published its assignments again).</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BrokerRestartTests : FaultScenario
{
    [Fact]
    public async Task Mosquitto_restarted_under_load_loses_no_result_runs_nothing_twice_and_the_relay_serves_after_its_own_restart()
    {
        var tokens = await World.ClientTokensAsync(Clients);
        var load = LoadDriver.Start(World.Http.BaseAddress!, tokens, "shell-fixtures:slow 1");

        await Eventually.TrueAsync(() => load.Succeeded >= Clients, "the first pipelines to succeed", TimeSpan.FromSeconds(60));
        await World.Mosquitto.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        await World.Mosquitto.StartAgainAsync(Token);
        var before = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= before + 2 * Clients, "pipelines to succeed again after the restart", TimeSpan.FromSeconds(90));
        var answers = await load.StopAsync();

        // Every answer is a pipeline's result (one refused while no relay was reachable included), never an error.
        var unexpected = answers.Where(a => a.Status != HttpStatusCode.OK || a.Run is null).ToList();
        Assert.True(unexpected.Count == 0, $"answers that are not results:\n{string.Join("\n", unexpected.Take(20))}");
        var marks = await World.MarksAsync();
        var ranTwice = marks.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"commands that ran twice: {string.Join(", ", ranTwice)}");

        var audit = await World.AuditAsync();
        var withoutCompletion = audit.DispatchedWithoutCompletion(orInterrupted: false);
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion record: {string.Join(", ", withoutCompletion)} ({audit.Summary()})");
        var withoutEnd = audit.StartedWithoutEnd();
        Assert.True(withoutEnd.Count == 0, $"pipelines started without an end: {string.Join(", ", withoutEnd)} ({audit.Summary()})");

        // No lost result: every command that ran has an ok completion record and its pipeline answered succeeded.
        var completions = audit.CompletionsOfFirstStage();
        var runs = answers.Select(a => a.Run!.Value).ToDictionary(r => r.Id, r => r.Status);
        var lost = marks.Where(id => !completions.TryGetValue(id, out var c) || AuditTrail.Outcome(c) != "ok"
            || (runs.TryGetValue(id, out var status) && status != "succeeded")).ToList();
        Assert.True(lost.Count == 0, $"ran without its result reported: {string.Join(", ", lost)}");
        Assert.DoesNotContain(answers, a => a.Body.Contains("may or may not have completed", StringComparison.Ordinal));

        await World.KillRelayAsync();
        World.StartRelay();
        await World.WaitUntilRelayServesAsync();
    }
}
