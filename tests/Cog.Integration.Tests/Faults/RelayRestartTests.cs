using System.Net;
using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>The relay process killed (SIGKILL) while 20 clients run pipelines through the API, then started again with
/// an empty cache: it serves its bundle again with no administrative change, every answer is a result, no command ran
/// twice (nothing is sent again to another relay once started), and every dispatched command has a completion record,
/// also those stopped by their pipeline's deadline on the dead relay.</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
// A pipeline deadline shorter than the command's timeout (60 s): a command left on the killed relay is stopped by its
// pipeline's deadline, and must still get its completion record.
public sealed class RelayRestartTests() : FaultScenario(new Dictionary<string, string> { ["Pipeline:TimeoutSeconds"] = "10" })
{
    [Fact]
    public async Task A_relay_killed_under_load_serves_its_bundle_again_after_its_restart_and_runs_nothing_twice()
    {
        var tokens = await World.ClientTokensAsync(Clients);
        var load = LoadDriver.Start(World.Http.BaseAddress!, tokens, "shell-fixtures:slow 0.3");

        await Eventually.TrueAsync(() => load.Succeeded >= Clients, "the first pipelines to succeed", TimeSpan.FromSeconds(60));
        await World.KillRelayAsync();
        World.StartRelay();
        var before = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= before + Clients, "pipelines to succeed on the restarted relay", TimeSpan.FromSeconds(90));
        var answers = await load.StopAsync();

        var unexpected = answers.Where(a => a.Status != HttpStatusCode.OK || a.Run is null).ToList();
        Assert.True(unexpected.Count == 0, $"answers that are not results:\n{string.Join("\n", unexpected.Take(20))}");
        var ranTwice = (await World.MarksAsync()).GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ranTwice.Count == 0, $"commands that ran twice: {string.Join(", ", ranTwice)}");
        var audit = await World.AuditAsync();
        var withoutCompletion = audit.DispatchedWithoutCompletion(orInterrupted: false);
        Assert.True(withoutCompletion.Count == 0, $"dispatched without a completion record: {string.Join(", ", withoutCompletion)}");
        Assert.Empty(audit.StartedWithoutEnd());
        await World.CogctlAsync("audit", "verify");
    }
}
