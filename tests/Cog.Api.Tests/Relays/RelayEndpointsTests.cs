using System.Net.Http.Headers;
using System.Text;
using Cog.Runtime.Administration;

namespace Cog.Api.Tests.Relays;

public sealed class RelayEndpointsTests : IAsyncLifetime
{
    CatalogApiWorld _api = null!;

    public async ValueTask InitializeAsync() => _api = await CatalogApiWorld.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    async Task<int> DownloadAsync(string relayId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/relays/{relayId}/packages/deploy/1.0.0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{relayId}:{token}")));
        using var response = await _api.Client.SendAsync(request, CatalogApiWorld.Ct);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task A_relay_is_created_with_a_generated_token_shown_once()
    {
        var (status, body) = await _api.PostAsync("/v1/relays", new { relay = new { name = "web-7", description = "Web", enabled = true } });
        var shown = await _api.GetAsync("/v1/relays/web-7");

        Assert.Equal(201, status);
        var relay = body!.Value.GetProperty("relay");
        Assert.Equal(("web-7", "Web", true), (relay.GetProperty("name").GetString(), relay.GetProperty("description").GetString(), relay.GetProperty("enabled").GetBoolean()));
        Assert.Equal(43, body.Value.GetProperty("token").GetString()!.Length);
        Assert.False(relay.TryGetProperty("token", out _));
        Assert.False(shown.Body!.Value.TryGetProperty("token", out _));
        Assert.Equal(relay.GetProperty("id").GetString(), shown.Body.Value.GetProperty("relay").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_relay_without_a_name_is_a_field_error()
    {
        var (status, body) = await _api.PostAsync("/v1/relays", new { relay = new { token = "t" } });

        Assert.Equal(422, status);
        Assert.Equal(["can't be blank"], body!.Value.GetProperty("errors").GetProperty("name").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_disabled_relay_can_no_longer_download_and_a_deleted_one_is_unknown()
    {
        Assert.Equal(201, (await _api.PostAsync("/v1/bundles", new { bundle = new { config = CatalogApiWorld.Manifest() } })).Status);
        await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "enabled" });
        await _api.PostAsync("/v1/relays", new { relay = new { id = "web-7", name = "web-7", token = "secret", enabled = true } });
        await _api.PostAsync("/v1/relay_groups", new { relay_group = new { name = "prod", relays = new[] { "web-7" } } });
        await _api.PostAsync("/v1/relay_groups/prod/bundles", new { bundles = new { add = new[] { "deploy" } } });

        var served = await DownloadAsync("web-7", "secret");
        var disable = await _api.SendAsync(HttpMethod.Put, "/v1/relays/web-7", new { relay = new { enabled = false } });
        var whileDisabled = await DownloadAsync("web-7", "secret");
        await _api.SendAsync(HttpMethod.Put, "/v1/relays/web-7", new { relay = new { enabled = true, token = "rotated" } });
        var oldToken = await DownloadAsync("web-7", "secret");
        var newToken = await DownloadAsync("web-7", "rotated");
        var deleted = await _api.SendAsync(HttpMethod.Delete, "/v1/relays/web-7");
        var afterDelete = await DownloadAsync("web-7", "rotated");

        Assert.Equal(200, served);
        Assert.False(disable.Body!.Value.GetProperty("relay").GetProperty("enabled").GetBoolean());
        Assert.Equal((403, 401, 200, 204, 401), (whileDisabled, oldToken, newToken, deleted.Status, afterDelete));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RelayDisabled));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RelayDeleted));
        Assert.Empty(_api.Transport.Assignments.Last(a => a.RelayId == "web-7").Bundles);
    }

    [Fact]
    public async Task Unknown_relays_answer_404()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Delete, "/v1/relays/nope");

        Assert.Equal((404, "Relay 'nope' does not exist"), (status, body!.Value.GetProperty("errors").GetString()));
    }
}
