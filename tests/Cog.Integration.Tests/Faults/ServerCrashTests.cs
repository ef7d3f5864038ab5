using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>The server killed (SIGKILL) while 20 clients run pipelines through the API, then started again on the same
/// data directory and database: no pipeline is left running, every pipeline that started has an end or an
/// interruption record, every dispatched command a completion or its pipeline's interruption, no command ran twice,
/// and the audit log is intact.</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerCrashTests : FaultScenario
{
    [Fact]
    public async Task A_server_killed_under_load_and_restarted_leaves_no_pipeline_running_and_runs_nothing_twice()
    {
        var tokens = await World.ClientTokensAsync(Clients);
        var load = LoadDriver.Start(World.Http.BaseAddress!, tokens, "shell-fixtures:slow 0.3");

        await Eventually.TrueAsync(() => load.Succeeded >= Clients, "the first pipelines to succeed", TimeSpan.FromSeconds(60));
        await World.Server.KillAsync();
        await World.Server.StartAsync(Token);
        var rss = World.Server.ResidentBytes();
        var before = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= before + Clients, "pipelines to succeed after the restart", TimeSpan.FromSeconds(60));
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"server resident memory after its restart: {rss / (1024 * 1024)} MiB");

        var running = (await World.PipelinesAsync()).Where(p => p.GetProperty("state").GetString() is "running" or "waiting").ToList();
        Assert.True(running.Count == 0, $"pipelines left running: {string.Join("\n", running)}");
        Assert.Contains(await World.PipelinesAsync(), p => p.GetProperty("state").GetString() == "interrupted");

        var audit = await World.AuditAsync();
        var withoutEnd = audit.StartedWithoutEnd();
        Assert.True(withoutEnd.Count == 0, $"pipelines started without an end or interruption: {string.Join(", ", withoutEnd)} ({audit.Summary()})");
        var withoutCompletion = audit.DispatchedWithoutCompletion(orInterrupted: true);
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion or interruption record: {string.Join(", ", withoutCompletion)}");

        var ranTwice = (await World.MarksAsync()).GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"commands that ran twice: {string.Join(", ", ranTwice)}");
        await World.CogctlAsync("audit", "verify");
    }
}
