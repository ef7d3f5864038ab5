using Cog.Runtime.Administration;

namespace Cog.Api.Tests.Rules;

public sealed class RuleEndpointsTests : IAsyncLifetime
{
    CatalogApiWorld _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await CatalogApiWorld.StartAsync();
        Assert.Equal(201, (await _api.PostAsync("/v1/bundles", new { bundle = new { config = CatalogApiWorld.Manifest() } })).Status);
        Assert.Equal(200, (await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "enabled" })).Status);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_rule_is_created_listed_shown_and_deleted()
    {
        var created = await _api.PostAsync("/v1/rules", new { rule = "when command is deploy:release allow" });
        var id = created.Body!.Value.GetProperty("rule").GetProperty("id").GetString();
        var listed = await _api.GetAsync("/v1/rules?for-command=deploy:release");
        var shown = await _api.GetAsync($"/v1/rules/{id}");
        var deleted = await _api.SendAsync(HttpMethod.Delete, $"/v1/rules/{id}");
        var gone = await _api.GetAsync($"/v1/rules/{id}");

        Assert.Equal(201, created.Status);
        Assert.Equal(("when command is deploy:release allow", "deploy:release"),
            (created.Body.Value.GetProperty("rule").GetProperty("rule").GetString(), created.Body.Value.GetProperty("rule").GetProperty("command").GetString()));
        Assert.Equal(2, listed.Body!.Value.GetProperty("rules").GetArrayLength());
        Assert.Equal(id, shown.Body!.Value.GetProperty("rule").GetProperty("id").GetString());
        Assert.Equal(204, deleted.Status);
        Assert.Equal((404, $"Rule \"{id}\" could not be found"), (gone.Status, gone.Body!.Value.GetProperty("errors").GetString()));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RuleCreated));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RuleDeleted));
    }

    [Theory]
    [InlineData("when command is deploy:nope allow", "Could not create rule: Unrecognized command \"deploy:nope\"")]
    [InlineData("when command is deploy:release must have site:nope", "Could not create rule: Unrecognized permission \"site:nope\"")]
    public async Task A_bad_rule_answers_422_with_the_cog_message(string rule, string message)
    {
        var (status, body) = await _api.PostAsync("/v1/rules", new { rule });

        Assert.Equal((422, message), (status, body!.Value.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task Listing_needs_a_known_enabled_command()
    {
        var none = await _api.GetAsync("/v1/rules");
        var unknown = await _api.GetAsync("/v1/rules?for-command=deploy:nope");
        await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "disabled" });
        var disabled = await _api.GetAsync("/v1/rules?for-command=deploy:release");

        Assert.Equal((422, global::Cog.Api.Bundles.AdminApiMessages.ForCommandRequired), (none.Status, none.Body!.Value.GetProperty("errors").GetString()));
        Assert.Equal((422, "Command deploy:nope not found"), (unknown.Status, unknown.Body!.Value.GetProperty("errors").GetString()));
        Assert.Equal((404, "Command deploy:release not currently enabled; try enabling a bundle version first"),
            (disabled.Status, disabled.Body!.Value.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task A_rule_is_replaced_with_put()
    {
        var created = await _api.PostAsync("/v1/rules", new { rule = "when command is deploy:release allow" });
        var id = created.Body!.Value.GetProperty("rule").GetProperty("id").GetString();

        var (status, body) = await _api.SendAsync(HttpMethod.Put, $"/v1/rules/{id}", new { rule = "when command is deploy:release with arg[0] == 'x' allow" });

        Assert.Equal(200, status);
        Assert.Equal("when command is deploy:release with arg[0] == 'x' allow", body!.Value.GetProperty("rule").GetProperty("rule").GetString());
    }
}
