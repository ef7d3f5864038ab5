using System.Net;
using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>PostgreSQL stopped for 5 seconds (as a crash stops it) while 20 clients run pipelines through the API, then
/// started again: the API answers every request with a result or a 503 the client can act on, no command runs twice,
/// every dispatched command has its completion record, no result of a command that ran is lost, and the audit log
/// is intact with nothing left in the spool.</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresOutageTests : FaultScenario
{
    [Fact]
    public async Task PostgreSQL_stopped_for_5_seconds_under_load_runs_nothing_twice_and_loses_no_record_or_result()
    {
        var tokens = await World.ClientTokensAsync(Clients);
        var load = LoadDriver.Start(World.Http.BaseAddress!, tokens, "shell-fixtures:slow 0.2");

        await Eventually.TrueAsync(() => load.Succeeded >= Clients, "the first pipelines to succeed", TimeSpan.FromSeconds(60));
        await World.Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await World.Postgres.StartAgainAsync();
        var before = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= before + 2 * Clients, "pipelines to succeed again after the outage", TimeSpan.FromSeconds(60));
        var answers = await load.StopAsync();
        await Eventually.TrueAsync(() => World.SpoolIsEmpty, "the audit spool to be replayed", TimeSpan.FromSeconds(30));

        // Every answer is a result or a 503 with JSON and Retry-After: never a 500, an empty answer or a broken connection.
        var unexpected = answers.Where(a => a.Run is null && !a.IsUnavailableAnswer).ToList();
        Assert.True(unexpected.Count == 0, $"answers that are neither a result nor a proper 503:\n{string.Join("\n", unexpected.Take(20))}");
        Assert.Contains(answers, a => a.IsUnavailableAnswer);

        var marks = await World.MarksAsync();
        var ranTwice = marks.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"commands that ran twice: {string.Join(", ", ranTwice)}");

        var audit = await World.AuditAsync();
        var withoutCompletion = audit.DispatchedWithoutCompletion(orInterrupted: false);
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion record: {string.Join(", ", withoutCompletion)} ({audit.Summary()})");
        var withoutEnd = audit.StartedWithoutEnd();
        Assert.True(withoutEnd.Count == 0, $"pipelines started without an end: {string.Join(", ", withoutEnd)} ({audit.Summary()})");

        // No lost result: every command that ran has its completion with its result, and every success ran.
        var completions = audit.CompletionsOfFirstStage();
        var lost = marks.Where(id => !completions.TryGetValue(id, out var c) || AuditTrail.Outcome(c) != "ok").ToList();
        Assert.True(lost.Count == 0, $"ran without an ok completion record: {string.Join(", ", lost)}");
        var markSet = marks.ToHashSet();
        var succeededUnmarked = answers.Where(a => a.Run is (var id, "succeeded") && !markSet.Contains(id)).ToList();
        Assert.True(succeededUnmarked.Count == 0, $"answered succeeded without running: {string.Join("\n", succeededUnmarked)}");

        await World.CogctlAsync("audit", "verify");
        Assert.Equal(HttpStatusCode.OK, (await World.SendAsync(HttpMethod.Get, "/health/ready", null)).Status);
    }
}
