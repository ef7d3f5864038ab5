using System.Net;
using Cog.Runtime.Administration;

namespace Cog.Api.Tests.RelayGroups;

public sealed class RelayGroupEndpointsTests : IAsyncLifetime
{
    ApiWorld _api = null!;
    string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiWorld.StartAsync();
        _admin = (await _api.UserAsync("admin", "operable:manage_commands", "operable:manage_relays")).Token;
        Assert.Equal(HttpStatusCode.Created, (await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest() } })).Status);
        Assert.Equal(HttpStatusCode.Created, (await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "web-7", name = "web-7", token = "secret" } })).Status);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_group_gets_relays_and_bundles_by_name_or_id()
    {
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups", _admin, new { relay_group = new { name = "prod" } });
        var id = created.Body.GetProperty("relay_group").GetProperty("id").GetString();

        var relays = await _api.JsonAsync(HttpMethod.Post, $"/v1/relay_groups/{id}/relays", _admin, new { relays = new { add = new[] { "web-7" } } });
        var bundles = await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups/prod/bundles", _admin, new { bundles = new { add = new[] { "deploy" } } });
        var members = await _api.JsonAsync(HttpMethod.Get, "/v1/relay_groups/prod/relays", _admin);
        var list = await _api.JsonAsync(HttpMethod.Get, "/v1/relay_groups", _admin);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, relays.Status);
        var group = bundles.Body.GetProperty("relay_group");
        Assert.Equal(["web-7"], group.GetProperty("relays").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(["deploy"], group.GetProperty("bundles").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(1, members.Body.GetProperty("relays").GetArrayLength());
        Assert.Equal(1, list.Body.GetProperty("relay_groups").GetArrayLength());
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RelayGroupBundleAssigned));
    }

    [Fact]
    public async Task Unknown_members_answer_422_listing_them()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups", _admin, new { relay_group = new { name = "prod" } });

        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups/prod/relays", _admin, new { relays = new { add = new[] { "web-7", "web-9" } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["web-9"], body.GetProperty("errors").GetProperty("not_found").GetProperty("relays").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_group_is_renamed_and_deleted()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups", _admin, new { relay_group = new { name = "prod" } });

        var renamed = await _api.JsonAsync(HttpMethod.Put, "/v1/relay_groups/prod", _admin, new { relay_group = new { name = "production" } });
        var deleted = await _api.JsonAsync(HttpMethod.Delete, "/v1/relay_groups/production", _admin);
        var gone = await _api.JsonAsync(HttpMethod.Get, "/v1/relay_groups/production", _admin);

        Assert.Equal("production", renamed.Body.GetProperty("relay_group").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, "Relay group 'production' does not exist"), (gone.Status, gone.Body.GetProperty("errors").GetString()));
    }
}
