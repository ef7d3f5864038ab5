using System.Diagnostics;
using System.Net;
using Cog.Integration.Tests.Server;
using Cog.Testing;

namespace Cog.Integration.Tests.Cluster;

/// <summary>A change made through one server reaches the other server's caches within a second: each check first makes
/// the second server cache the old state, then changes it through the first, then polls the second.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CacheInvalidationTests(PostgresCluster postgres)
{
    static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Polls <paramref name="seen"/> until it holds; fails when it still does not after <see cref="Within"/>.</summary>
    static async Task SeenWithinASecondAsync(Func<Task<bool>> seen, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await seen())
        {
            Assert.True(watch.Elapsed < Within, $"The second server did not see {what} within {Within.TotalSeconds} s.");
            await Task.Delay(20, Ct);
        }
    }

    static bool Succeeded(System.Text.Json.JsonElement run) => run.GetProperty("status").GetString() == "succeeded";

    static async Task OkAsync(ServerEnvironment server, string pipeline)
    {
        var run = await server.RunAsync(pipeline);
        Assert.True(Succeeded(run), $"'{pipeline}': {run}");
    }

    [Fact]
    public async Task Grants_aliases_rules_bundle_states_and_tokens_changed_through_one_server_reach_the_other_within_a_second()
    {
        // No dev relay: every change below is made by hand (dev mode would enable its bundles again).
        await using var pair = await ServerPair.StartAsync(postgres, static (options, _) => options.Dev.Bundles = null);
        var (first, second) = (pair.First, pair.Second);
        var admin = (await second.Server.Store.Users.FindByUsernameAsync(first.Admin.Username, Ct))!.Id;

        // A grant: the second server's cached permission set (the API's and the pipelines' checks) follows.
        Assert.DoesNotContain("site:deploy", await second.Server.Directory.GetPermissionsAsync(admin, Ct));
        await OkAsync(first, "permission create site:deploy");
        await OkAsync(first, "permission grant site:deploy cog-admin");
        await SeenWithinASecondAsync(async () => (await second.Server.Directory.GetPermissionsAsync(admin, Ct)).Contains("site:deploy"),
            "the permission granted");

        // A user's own alias.
        Assert.False(Succeeded(await second.RunAsync("greet-everyone")));
        await OkAsync(first, "alias create greet-everyone \"echo everyone\"");
        await SeenWithinASecondAsync(async () => Succeeded(await second.RunAsync("greet-everyone")), "the user alias");

        // A site rule (the command space: the rules each invocation is checked against).
        var rulesBefore = (await second.Server.Directory.GetCommandSpaceAsync(Ct)).RulesFor("operable", "echo").Length;
        await OkAsync(first, "permission create site:nobody-has-this");
        var (status, rule) = await first.SendAsync(HttpMethod.Post, "/v1/rules", new { rule = "when command is operable:echo must have site:nobody-has-this" });
        Assert.True(status == HttpStatusCode.Created, $"{(int)status} {rule}");
        await SeenWithinASecondAsync(async () => (await second.Server.Directory.GetCommandSpaceAsync(Ct)).RulesFor("operable", "echo").Length > rulesBefore,
            "the rule");

        // A bundle installed, then disabled.
        Assert.Null((await second.Server.Directory.GetCommandSpaceAsync(Ct)).Commands.FindBundle("vault"));
        var installed = await first.CogctlAsync("bundle", "install", Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "manifests", "valid", "v4-subcommands.yaml"), "--enable");
        Assert.True(installed.Code == 0, installed.ToString());
        await SeenWithinASecondAsync(async () => (await second.Server.Directory.GetCommandSpaceAsync(Ct)).Commands.FindBundle("vault")?.EnabledVersion == "1.0",
            "the bundle installed");
        await OkAsync(first, "bundle disable vault");
        await SeenWithinASecondAsync(async () => (await second.Server.Directory.GetCommandSpaceAsync(Ct)).Commands.FindBundle("vault")!.EnabledVersion is null,
            "the bundle disabled");

        // A token (no cache: every request reads its hash from the store): issued through the first server, it works on
        // the second, and its user's deletion through the first is refused there at once.
        (status, var user) = await first.SendAsync(HttpMethod.Post, "/v1/users",
            new { user = new { username = "temporary", email_address = "temporary@example.com", password = "pa55-word" } });
        Assert.True(status == HttpStatusCode.Created, $"{(int)status} {user}");
        var token = await first.TokenAsync("temporary", "pa55-word");
        Assert.Equal(HttpStatusCode.OK, (await second.SendAsync(HttpMethod.Get, "/v1/users/me/permissions", null, token)).Status);
        Assert.Equal(HttpStatusCode.NoContent,
            (await first.SendAsync(HttpMethod.Delete, $"/v1/users/{user.GetProperty("user").GetProperty("id").GetString()}", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.SendAsync(HttpMethod.Get, "/v1/users/me/permissions", null, token)).Status);
    }
}
