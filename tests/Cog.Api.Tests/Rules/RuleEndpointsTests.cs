using System.Net;
using Cog.Language.Rules;
using Cog.Runtime.Administration;

namespace Cog.Api.Tests.Rules;

public sealed class RuleEndpointsTests : IAsyncLifetime
{
    ApiWorld _api = null!;
    string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiWorld.StartAsync();
        _admin = (await _api.UserAsync("admin", "operable:manage_commands", "operable:manage_relays")).Token;
        Assert.Equal(HttpStatusCode.Created, (await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest() } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "enabled" })).Status);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_rule_is_created_listed_shown_and_deleted()
    {
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/rules", _admin, new { rule = "when command is deploy:release allow" });
        var id = created.Body.GetProperty("id").GetString();
        var listed = await _api.JsonAsync(HttpMethod.Get, "/v1/rules?for-command=deploy:release", _admin);
        var shown = await _api.JsonAsync(HttpMethod.Get, $"/v1/rules/{id}", _admin);
        var deleted = await _api.JsonAsync(HttpMethod.Delete, $"/v1/rules/{id}", _admin);
        var gone = await _api.JsonAsync(HttpMethod.Get, $"/v1/rules/{id}", _admin);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(("when command is deploy:release allow", "deploy:release"),
            (created.Body.GetProperty("rule").GetString(), created.Body.GetProperty("command_name").GetString()));
        Assert.Equal(2, listed.Body.GetProperty("rules").GetArrayLength());
        Assert.Equal(id, shown.Body.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, $"Rule \"{id}\" could not be found"), (gone.Status, gone.Body.GetProperty("errors").GetString()));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RuleCreated));
        Assert.Single(await _api.AuditAsync(AdminAuditKinds.RuleDeleted));
    }

    [Theory]
    [InlineData("when command is deploy:nope allow", "Could not create rule: Unrecognized command \"deploy:nope\"")]
    [InlineData("when command is deploy:release must have site:nope", "Could not create rule: Unrecognized permission \"site:nope\"")]
    public async Task A_bad_rule_answers_422_with_the_cog_message(string rule, string message)
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/rules", _admin, new { rule });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, message), (status, body.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task A_rule_nested_40000_deep_answers_422_naming_the_limit_and_the_server_still_answers()
    {
        var deep = new string('(', 40_000) + "arg[0] == 1" + new string(')', 40_000);

        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/rules", _admin, new { rule = $"when command is deploy:release with {deep} allow" });
        var listed = await _api.JsonAsync(HttpMethod.Get, "/v1/rules?for-command=deploy:release", _admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal($"Could not create rule: \"(Line: 1, Col: 101) {RuleErrors.TooDeep}\"", body.GetProperty("errors").GetString());
        Assert.Equal(HttpStatusCode.OK, listed.Status);
    }

    [Fact]
    public async Task A_body_nested_deeper_than_64_levels_answers_400_with_the_position()
    {
        var deep = "{\"rule\":" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/rules", _admin, deep);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The request body is not valid JSON at line 1, position ", body.GetProperty("errors").GetString(), StringComparison.Ordinal);
        Assert.Contains("depth", body.GetProperty("errors").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await _api.JsonAsync(HttpMethod.Get, "/v1/rules?for-command=deploy:release", _admin)).Status);
    }

    [Fact]
    public async Task Listing_needs_a_known_enabled_command()
    {
        var none = await _api.JsonAsync(HttpMethod.Get, "/v1/rules", _admin);
        var unknown = await _api.JsonAsync(HttpMethod.Get, "/v1/rules?for-command=deploy:nope", _admin);
        await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "disabled" });
        var disabled = await _api.JsonAsync(HttpMethod.Get, "/v1/rules?for-command=deploy:release", _admin);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, global::Cog.Api.Infrastructure.AdminApiMessages.ForCommandRequired), (none.Status, none.Body.GetProperty("errors").GetString()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Command deploy:nope not found"), (unknown.Status, unknown.Body.GetProperty("errors").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "Command deploy:release not currently enabled; try enabling a bundle version first"),
            (disabled.Status, disabled.Body.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task A_rule_is_replaced_with_put()
    {
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/rules", _admin, new { rule = "when command is deploy:release allow" });
        var id = created.Body.GetProperty("id").GetString();

        var (status, body) = await _api.JsonAsync(HttpMethod.Put, $"/v1/rules/{id}", _admin, new { rule = "when command is deploy:release with arg[0] == 'x' allow" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("when command is deploy:release with arg[0] == 'x' allow", body.GetProperty("rule").GetString());
    }
}
