using System.Net;
using System.Text.Json;
using Cog.Language.Rules;
using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Tests.Startup;

/// <summary>A stored rule or bundle that does not load never stops the server: it is skipped, fails closed, and is
/// reported in the log and by the readiness check.</summary>
public sealed class StoredObjectsAtStartupTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("cog-stored-").FullName;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    ServerOptions Options() => new()
    {
        DataDirectory = Path.Combine(_root, "data"),
        Api = { Urls = "http://127.0.0.1:0" },
        Broker = { Port = 0 },
    };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_server_starts_over_a_stored_rule_and_bundle_nested_20000_deep_and_reports_them()
    {
        var deep = new string('(', 20_000) + "arg[0] == 1" + new string(')', 20_000);
        string echoRule, bundleRule;
        await using (var first = await CogServer.StartAsync(Options(), new CollectingLoggerFactory(), TimeProvider.System, Ct))
        {
            // As text written around the API (an older version, an edit of the database) would leave them.
            var echo = (await first.Store.Bundles.FindCommandAsync("operable", "echo", Ct))!;
            echoRule = (await first.Store.Rules.IngestSiteRuleAsync(echo.Id, $"when command is operable:echo with {deep} allow", Ct)).GetValueOrThrow().Id;
            var rule = $"when command is deep:go with {deep} allow";
            var manifest = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["cog_bundle_version"] = 5, ["name"] = "deep", ["version"] = "1.0.0",
                ["commands"] = new Dictionary<string, object> { ["go"] = new Dictionary<string, object> { ["executable"] = "/bin/true", ["rules"] = new[] { rule } } },
            });
            var version = (await first.Store.Bundles.InstallAsync(new BundleInstall("deep", "1.0.0", manifest, null, null, null, [],
                [new CommandDefinition("go", null, [])], [new RuleDefinition("go", rule)], DateTimeOffset.UnixEpoch, []), Ct)).GetValueOrThrow();
            (await first.Store.Bundles.EnableVersionAsync(version.Id, Ct)).GetValueOrThrow();
            bundleRule = (await first.Store.Rules.ListForCommandAsync((await first.Store.Bundles.FindCommandAsync("deep", "go", Ct))!.Id, Ct)).Single().Id;
        }

        var log = new CollectingLoggerFactory();
        await using var second = await CogServer.StartAsync(Options(), log, TimeProvider.System, Ct);

        var errors = log.Lines.Where(l => l.Level == LogLevel.Error).Select(l => l.Text).ToList();
        Assert.Contains($"Stored rule {echoRule} could not be loaded and is skipped: does not parse: (Line: 1, Col: 100) {RuleErrors.TooDeep}", errors);
        Assert.Contains(errors, e => e.StartsWith($"Stored rule {bundleRule} could not be loaded", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Stored bundle deep 1.0.0 could not be loaded and is skipped: its stored manifest does not validate: ", StringComparison.Ordinal));

        using var http = new HttpClient { BaseAddress = second.ApiUrl };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));
        var check = body.RootElement.GetProperty("checks").GetProperty("stored_objects");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("degraded", check.GetProperty("status").GetString());
        var description = check.GetProperty("description").GetString()!;
        Assert.Contains($"rule {echoRule}", description, StringComparison.Ordinal);
        Assert.Contains($"rule {bundleRule}", description, StringComparison.Ordinal);
        Assert.Contains("bundle deep 1.0.0", description, StringComparison.Ordinal);

        // The command with the rule that did not load is refused, with the reason.
        var outcome = await second.Engine.RunAsync(
            new PipelineRequest("operable:echo hi", new PipelineCaller("u-1", "someone", "someone", null, "http"), PipelineRoom.Direct), Ct);
        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Equal($"Sorry, you aren't allowed to execute 'operable:echo hi': a stored rule of this command could not be loaded (stored rule {echoRule} does not parse: (Line: 1, Col: 100) {RuleErrors.TooDeep}), so the command is denied.",
            outcome.Message);
    }
}
