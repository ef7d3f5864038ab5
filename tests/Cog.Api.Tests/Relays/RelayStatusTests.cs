using System.Net;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Tests.Relays;

/// <summary>The live <c>status</c> of relays in <c>GET /v1/relays[/:id]</c> (our addition, for the web console).</summary>
public sealed class RelayStatusTests : IAsyncLifetime
{
    readonly RelayRegistry _live = new(TimeProvider.System);
    ApiWorld _api = null!;
    string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiWorld.StartAsync(services => services.AddSingleton(sp => new RelayMonitor(_live, sp.GetRequiredService<BundleRegistry>())));
        _admin = (await _api.UserAsync("admin", "operable:manage_relays")).Token;
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    /// <summary>Installs and enables <c>deploy</c> 1.0.0, assigns it to a relay group holding <paramref name="relays"/>,
    /// and answers the installed package's digest.</summary>
    async Task<string> AssignDeployAsync(params string[] relays)
    {
        var ct = TestContext.Current.CancellationToken;
        (await _api.Registry.InstallManifestAsync(ApiWorld.Manifest(), enable: true, ct)).GetValueOrThrow();
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups", _admin, new { relay_group = new { name = "prod" } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups/prod/relays", _admin, new { relays = new { add = relays } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups/prod/bundles", _admin, new { bundles = new { add = new[] { "deploy" } } });
        return Assert.Single(await _api.Registry.ComputeAssignmentsAsync(relays[0], ct)).Digest;
    }

    static string Names(JsonElement list) =>
        string.Join(",", list.EnumerateArray().Select(static b => $"{b.GetProperty("name").GetString()} {b.GetProperty("version").GetString()}"));

    [Fact]
    public async Task A_relay_shows_what_it_last_reported_and_one_that_never_reported_shows_null()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "prod-1", name = "prod-1", enabled = true } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "prod-2", name = "prod-2", enabled = true } });
        var digest = await AssignDeployAsync("prod-1");
        _live.ApplyStatus("prod-1", new RelayStatus("prod-1", "i-1", RelayState.Online, "1.2.0", ["prod"], 4, 1));
        _live.ApplyAnnouncement("prod-1", new BundleAnnouncement("prod-1", "i-1", 1, [new AnnouncedBundle("deploy", "1.0.0", digest)], []));

        var (status, body) = await _api.JsonAsync(HttpMethod.Get, "/v1/relays", _admin);
        var shown = await _api.JsonAsync(HttpMethod.Get, "/v1/relays/prod-1", _admin);

        Assert.Equal(HttpStatusCode.OK, status);
        var relays = body.GetProperty("relays").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var live = relays["prod-1"].GetProperty("status");
        Assert.Equal(("online", "1.2.0", 4, 1, 0), (live.GetProperty("state").GetString(), live.GetProperty("relay_version").GetString(),
            live.GetProperty("capacity").GetInt32(), live.GetProperty("load").GetInt32(), live.GetProperty("in_flight").GetInt32()));
        Assert.Equal("deploy 1.0.0", Names(live.GetProperty("bundles")));
        Assert.Empty(live.GetProperty("problems").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, relays["prod-2"].GetProperty("status").ValueKind);
        Assert.Equal("online", shown.Body.GetProperty("relay").GetProperty("status").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_relay_holding_another_digest_or_an_unassigned_bundle_does_not_serve_it_and_shows_each_as_a_problem()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "prod-1", name = "prod-1", enabled = true } });
        var digest = await AssignDeployAsync("prod-1");
        var stale = "sha256:" + new string('a', 64);
        _live.ApplyStatus("prod-1", new RelayStatus("prod-1", "i-1", RelayState.Online, "1.2.0", [], 4, 0));
        _live.ApplyAnnouncement("prod-1", new BundleAnnouncement("prod-1", "i-1", 1,
            [new AnnouncedBundle("deploy", "1.0.0", stale), new AnnouncedBundle("greeter", "0.1.0", digest)],
            [new BundleFailure("deploy", "1.0.0", "the download failed: 503")]));

        var status = (await _api.JsonAsync(HttpMethod.Get, "/v1/relays/prod-1", _admin)).Body.GetProperty("relay").GetProperty("status");
        var listed = (await _api.JsonAsync(HttpMethod.Get, "/v1/relays", _admin)).Body.GetProperty("relays")[0].GetProperty("status");

        Assert.Equal("", Names(status.GetProperty("bundles")));
        Assert.Equal(
            [
                ("digest_mismatch", "deploy", "1.0.0",
                    $"deploy 1.0.0: the relay holds digest {stale}, the server installed {digest}; nothing is routed to it. The relay reports: the download failed: 503"),
                ("not_assigned", "greeter", "0.1.0",
                    "greeter 0.1.0: the relay announces it, but it is not assigned to the relay (none of its relay groups has the bundle, or the bundle is disabled); nothing is routed to it"),
            ],
            status.GetProperty("problems").EnumerateArray().Select(static p => (p.GetProperty("kind").GetString(), p.GetProperty("bundle").GetString(),
                p.GetProperty("version").GetString(), p.GetProperty("message").GetString())));
        Assert.Equal(status.GetProperty("problems").GetRawText(), listed.GetProperty("problems").GetRawText());
    }

    [Fact]
    public async Task A_relay_shows_the_isolation_it_reported_and_an_older_relay_shows_null()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "sandboxed", name = "sandboxed", enabled = true } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "older", name = "older", enabled = true } });
        _live.ApplyStatus("sandboxed", new RelayStatus("sandboxed", "i-1", RelayState.Online, "1.3.0", [], 4, 0,
            [new RelayIsolationMechanism("bubblewrap", true, "/usr/bin/bwrap"), new RelayIsolationMechanism("separate-user", false, "the relay does not run as root")]));
        _live.ApplyStatus("older", new RelayStatus("older", "i-2", RelayState.Online, "1.0.0", [], 4, 0));

        var sandboxed = (await _api.JsonAsync(HttpMethod.Get, "/v1/relays/sandboxed", _admin)).Body.GetProperty("relay").GetProperty("status");
        var older = (await _api.JsonAsync(HttpMethod.Get, "/v1/relays/older", _admin)).Body.GetProperty("relay").GetProperty("status");

        Assert.Equal(
            ["bubblewrap True /usr/bin/bwrap", "separate-user False the relay does not run as root"],
            sandboxed.GetProperty("isolation").EnumerateArray()
                .Select(m => $"{m.GetProperty("name").GetString()} {m.GetProperty("available").GetBoolean()} {m.GetProperty("detail").GetString()}"));
        Assert.Equal(JsonValueKind.Null, older.GetProperty("isolation").ValueKind);
    }
}
