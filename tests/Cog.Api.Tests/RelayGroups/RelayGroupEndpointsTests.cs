using Cog.Runtime.Administration;

namespace Cog.Api.Tests.RelayGroups;

public sealed class RelayGroupEndpointsTests : IAsyncLifetime
{
    CatalogApiWorld _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await CatalogApiWorld.StartAsync();
        Assert.Equal(201, (await _api.PostAsync("/v1/bundles", new { bundle = new { config = CatalogApiWorld.Manifest() } })).Status);
        Assert.Equal(201, (await _api.PostAsync("/v1/relays", new { relay = new { id = "web-7", name = "web-7", token = "secret" } })).Status);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_group_gets_relays_and_bundles_by_name_or_id()
    {
        var created = await _api.PostAsync("/v1/relay_groups", new { relay_group = new { name = "prod" } });
        var id = created.Body!.Value.GetProperty("relay_group").GetProperty("id").GetString();

        var relays = await _api.PostAsync($"/v1/relay_groups/{id}/relays", new { relays = new { add = new[] { "web-7" } } });
        var bundles = await _api.PostAsync("/v1/relay_groups/prod/bundles", new { bundles = new { add = new[] { "deploy" } } });
        var members = await _api.GetAsync("/v1/relay_groups/prod/relays");
        var list = await _api.GetAsync("/v1/relay_groups");

        Assert.Equal(201, created.Status);
        Assert.Equal(200, relays.Status);
        var group = bundles.Body!.Value.GetProperty("relay_group");
        Assert.Equal(["web-7"], group.GetProperty("relays").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(["deploy"], group.GetProperty("bundles").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(1, members.Body!.Value.GetProperty("relays").GetArrayLength());
        Assert.Equal(1, list.Body!.Value.GetProperty("relay_groups").GetArrayLength());
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RelayGroupBundleAssigned));
    }

    [Fact]
    public async Task Unknown_members_answer_422_listing_them()
    {
        await _api.PostAsync("/v1/relay_groups", new { relay_group = new { name = "prod" } });

        var (status, body) = await _api.PostAsync("/v1/relay_groups/prod/relays", new { relays = new { add = new[] { "web-7", "web-9" } } });

        Assert.Equal(422, status);
        Assert.Equal(["web-9"], body!.Value.GetProperty("errors").GetProperty("not_found").GetProperty("relays").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_group_is_renamed_and_deleted()
    {
        await _api.PostAsync("/v1/relay_groups", new { relay_group = new { name = "prod" } });

        var renamed = await _api.SendAsync(HttpMethod.Put, "/v1/relay_groups/prod", new { relay_group = new { name = "production" } });
        var deleted = await _api.SendAsync(HttpMethod.Delete, "/v1/relay_groups/production");
        var gone = await _api.GetAsync("/v1/relay_groups/production");

        Assert.Equal("production", renamed.Body!.Value.GetProperty("relay_group").GetProperty("name").GetString());
        Assert.Equal(204, deleted.Status);
        Assert.Equal((404, "Relay group 'production' does not exist"), (gone.Status, gone.Body!.Value.GetProperty("errors").GetString()));
    }
}
