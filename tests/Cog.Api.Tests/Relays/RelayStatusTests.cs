using System.Net;
using System.Text.Json;
using Cog.Contracts.Relays;
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
        _api = await ApiWorld.StartAsync(services => services.AddSingleton(_live));
        _admin = (await _api.UserAsync("admin", "operable:manage_relays")).Token;
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_relay_shows_what_it_last_reported_and_one_that_never_reported_shows_null()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "prod-1", name = "prod-1", enabled = true } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "prod-2", name = "prod-2", enabled = true } });
        _live.ApplyStatus("prod-1", new RelayStatus("prod-1", "i-1", RelayState.Online, "1.2.0", ["prod"], 4, 1));
        _live.ApplyAnnouncement("prod-1", new BundleAnnouncement("prod-1", "i-1", 1, [new AnnouncedBundle("deploy", "1.0.0", "sha256:" + new string('a', 64))], []));

        var (status, body) = await _api.JsonAsync(HttpMethod.Get, "/v1/relays", _admin);
        var shown = await _api.JsonAsync(HttpMethod.Get, "/v1/relays/prod-1", _admin);

        Assert.Equal(HttpStatusCode.OK, status);
        var relays = body.GetProperty("relays").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var live = relays["prod-1"].GetProperty("status");
        Assert.Equal(("online", "1.2.0", 4, 1, 0), (live.GetProperty("state").GetString(), live.GetProperty("relay_version").GetString(),
            live.GetProperty("capacity").GetInt32(), live.GetProperty("load").GetInt32(), live.GetProperty("in_flight").GetInt32()));
        Assert.Equal("deploy 1.0.0", string.Join(",", live.GetProperty("bundles").EnumerateArray().Select(b => $"{b.GetProperty("name").GetString()} {b.GetProperty("version").GetString()}")));
        Assert.Equal(JsonValueKind.Null, relays["prod-2"].GetProperty("status").ValueKind);
        Assert.Equal("online", shown.Body.GetProperty("relay").GetProperty("status").GetProperty("state").GetString());
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
