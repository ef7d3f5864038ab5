using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cog.Runtime.Administration;

namespace Cog.Api.Tests.Relays;

public sealed class RelayEndpointsTests : IAsyncLifetime
{
    ApiWorld _api = null!;
    string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiWorld.StartAsync();
        _admin = (await _api.UserAsync("admin", "operable:manage_commands", "operable:manage_relays")).Token;
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    async Task<HttpStatusCode> DownloadAsync(string relayId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/relays/{relayId}/packages/deploy/1.0.0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{relayId}:{token}")));
        using var response = await _api.Http.SendAsync(request, ApiWorld.Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_relay_is_created_with_a_generated_token_shown_once()
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { name = "web-7", description = "Web", enabled = true } });
        var shown = await _api.JsonAsync(HttpMethod.Get, "/v1/relays/web-7", _admin);

        Assert.Equal(HttpStatusCode.Created, status);
        var relay = body.GetProperty("relay");
        Assert.Equal(("web-7", "Web", true), (relay.GetProperty("name").GetString(), relay.GetProperty("description").GetString(), relay.GetProperty("enabled").GetBoolean()));
        Assert.Equal(43, body.GetProperty("token").GetString()!.Length);
        Assert.False(relay.TryGetProperty("token", out _));
        Assert.False(shown.Body.TryGetProperty("token", out _));
        Assert.Equal(relay.GetProperty("id").GetString(), shown.Body.GetProperty("relay").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_relay_without_a_name_is_a_field_error()
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { token = "t" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["can't be blank"], body.GetProperty("errors").GetProperty("name").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_disabled_relay_can_no_longer_download_and_a_deleted_one_is_unknown()
    {
        Assert.Equal(HttpStatusCode.Created, (await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest() } })).Status);
        await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "enabled" });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relays", _admin, new { relay = new { id = "web-7", name = "web-7", token = "secret", enabled = true } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups", _admin, new { relay_group = new { name = "prod", relays = new[] { "web-7" } } });
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups/prod/bundles", _admin, new { bundles = new { add = new[] { "deploy" } } });

        var served = await DownloadAsync("web-7", "secret");
        var disable = await _api.JsonAsync(HttpMethod.Put, "/v1/relays/web-7", _admin, new { relay = new { enabled = false } });
        var whileDisabled = await DownloadAsync("web-7", "secret");
        await _api.JsonAsync(HttpMethod.Put, "/v1/relays/web-7", _admin, new { relay = new { enabled = true, token = "rotated" } });
        var oldToken = await DownloadAsync("web-7", "secret");
        var newToken = await DownloadAsync("web-7", "rotated");
        var deleted = await _api.JsonAsync(HttpMethod.Delete, "/v1/relays/web-7", _admin);
        var afterDelete = await DownloadAsync("web-7", "rotated");

        Assert.Equal(HttpStatusCode.OK, served);
        Assert.False(disable.Body.GetProperty("relay").GetProperty("enabled").GetBoolean());
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.Unauthorized), (whileDisabled, oldToken, newToken, deleted.Status, afterDelete));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RelayDisabled));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RelayDeleted));
        Assert.Empty(_api.Transport.Assignments.Last(a => a.RelayId == "web-7").Bundles);
    }

    [Fact]
    public async Task Unknown_relays_answer_404()
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Delete, "/v1/relays/nope", _admin);

        Assert.Equal((HttpStatusCode.NotFound, "Relay 'nope' does not exist"), (status, body.GetProperty("errors").GetString()));
    }
}
