using System.Net;
using System.Text.Json;

namespace Cog.Api.Tests.Compatibility;

/// <summary>Every <c>/v1</c> route the original Python cogctl (operable/cogctl cogctl/api.py) and the Elixir
/// operable/cog-api-client use, driven with the request bodies they send, answered in the shapes Cog 1.0's controllers
/// and views wrote (each test cites the Cog 1.0 file it takes the shape from). Every 2xx is checked with a follow-up read:
/// no route may answer success without doing what was asked.</summary>
/// <remarks>
/// <para>The routes (method, path, body the client sends; client; where Cog 1.0 answered it):</para>
/// <code>
/// GET    /v1/bootstrap                          cogctl            bootstrap_controller.ex
/// POST   /v1/bootstrap                          cogctl            bootstrap_controller.ex
/// POST   /v1/token {username,password}          both              token_controller.ex
/// GET    /v1/users  (?username=)                both              user_controller.ex
/// POST   /v1/users {user}                       both              user_controller.ex
/// GET    /v1/users/:id                          both              user_controller.ex
/// PUT    /v1/users/:id {user}                   cogctl            user_controller.ex
/// DELETE /v1/users/:id                          both              user_controller.ex
/// POST   /v1/users/reset-password               cogctl            password_reset_controller.ex (not offered: no mail)
/// GET    /v1/groups, /v1/groups/:id             both              group_controller.ex
/// POST   /v1/groups {group:{name}}              both              group_controller.ex
/// PUT    /v1/groups/:id {group}                 cogctl            group_controller.ex
/// DELETE /v1/groups/:id                         both              group_controller.ex
/// POST   /v1/groups/:id/users {users:{add|remove}}   both         group_membership_controller.ex
/// POST   /v1/groups/:id/roles {roles:{add|remove}}   cogctl       role_grant_controller.ex (grant|revoke too)
/// GET    /v1/permissions                        both              permission_controller.ex
/// POST   /v1/permissions {permission:{name}}    both              permission_controller.ex
/// DELETE /v1/permissions/:id                    both              permission_controller.ex
/// GET    /v1/roles, /v1/roles/:id               both              role_controller.ex
/// POST   /v1/roles {role:{name}}                both              role_controller.ex
/// PUT    /v1/roles/:id {role} (PATCH: api-client)  both           role_controller.ex
/// DELETE /v1/roles/:id                          both              role_controller.ex
/// POST   /v1/roles/:id/permissions {permissions:{grant|revoke}}  both   permission_grant_controller.ex
/// GET    /v1/bundles, /v1/bundles/:id           both              bundles_controller.ex, bundles_view.ex
/// POST   /v1/bundles {bundle:{config,force}}    both              bundles_controller.ex
/// GET    /v1/bundles/:id/versions/              cogctl            bundles_controller.ex (versions)
/// GET    /v1/bundles/:id/versions/:vid          both              bundle_version_controller.ex
/// DELETE /v1/bundles/:id/versions/:vid          cogctl            bundle_version_controller.ex
/// POST   /v1/bundles/:id/versions/:vid/status {status}   both     bundle_status_controller.ex
/// POST   /v1/bundles/install/:name/:version     cogctl            (Warehouse registry: defunct, not offered)
/// GET    /v1/bundles/:id/dynamic_config         both              bundle_dynamic_config_controller.ex
/// POST   /v1/bundles/:id/dynamic_config/base, …/room/:name {config}   both   bundle_dynamic_config_controller.ex
/// DELETE /v1/bundles/:id/dynamic_config/base, …/room/:name            both   bundle_dynamic_config_controller.ex
/// GET    /v1/rules?for-command=, /v1/rules/:id  both              rule_controller.ex, rule_view.ex
/// POST   /v1/rules {rule}                       both              rule_controller.ex
/// DELETE /v1/rules/:id                          both              rule_controller.ex
/// GET    /v1/triggers (?name=), POST, PUT /:id, DELETE /:id {trigger}   both   trigger_controller.ex
/// GET    /v1/chat_handles, POST /v1/users/:id/chat_handles {chat_handle}, DELETE /v1/chat_handles/:id   both
/// GET    /v1/relays, /v1/relays/:id, POST {relay}, PUT /:id {relay}, DELETE /:id   both   relay_controller.ex
/// GET    /v1/relay_groups, POST {relay_group:{name}}, DELETE /:id        both   relay_group_controller.ex
/// POST   /v1/relay_groups/:id/relays|bundles {relays|bundles:{add|remove:[ids]}}   both
///                                                                 relay_group_membership_controller.ex
/// </code>
/// <para>Cog 1.0 file paths are in operable/cog under web/controllers/v1/ and web/views/.</para>
/// </remarks>
public sealed class OriginalClientTests : IAsyncLifetime
{
    ApiWorld _api = null!;
    string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiWorld.StartAsync();
        _admin = await _api.AdminTokenAsync();
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    Task<(HttpStatusCode Status, JsonElement Body)> Json(HttpMethod method, string path, object? body = null) => _api.JsonAsync(method, path, _admin, body);

    static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(static p => p.Name).Order(StringComparer.Ordinal)];

    static string[] Names(JsonElement list, string property = "name") => [.. list.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    /// <summary>The original cogctl installs the manifest parsed into a map (cogctl/cli/bundle/install.py).</summary>
    async Task<JsonElement> InstallAsync(string name = "deploy", string version = "1.0.0")
    {
        var config = JsonSerializer.Deserialize<JsonElement>($$"""
            {"cog_bundle_version": 4, "name": "{{name}}", "description": "Deploys things", "version": "{{version}}",
             "permissions": ["{{name}}:release"],
             "templates": {"release": {"body": "~$body~"} },
             "commands": {"release": {"executable": "/opt/{{name}}/release", "description": "Releases a host",
                                      "rules": ["must have {{name}}:release"]} } }
            """);
        var (status, body) = await Json(HttpMethod.Post, "/v1/bundles", new { bundle = new { config, force = false } });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("bundle_version");
    }

    // operable/cog web/controllers/v1/role_grant_controller.ex: prep_role_spec maps "grant"/"add" to add and
    // "revoke"/"remove" to remove; the original cogctl sends {"roles": {"add": [...]}} (cogctl/api.py grant_group_roles).
    [Fact]
    public async Task Group_roles_are_granted_and_revoked_with_add_and_remove_as_the_original_cogctl_sends_them()
    {
        var (_, group) = await Json(HttpMethod.Post, "/v1/groups", new { group = new { name = "ops" } });
        await Json(HttpMethod.Post, "/v1/roles", new { role = new { name = "deployer" } });
        var id = group.GetProperty("group").GetProperty("id").GetString();

        var (granted, grantBody) = await Json(HttpMethod.Post, $"/v1/groups/{id}/roles", new { roles = new { add = new[] { "deployer" } } });
        var (_, afterGrant) = await Json(HttpMethod.Get, $"/v1/groups/{id}");
        var (revoked, _) = await Json(HttpMethod.Post, $"/v1/groups/{id}/roles", new { roles = new { remove = new[] { "deployer" } } });
        var (_, afterRevoke) = await Json(HttpMethod.Get, $"/v1/groups/{id}");

        Assert.Equal(HttpStatusCode.OK, granted);
        Assert.Equal(["deployer"], Names(grantBody.GetProperty("roles")));
        Assert.Equal(["deployer"], Names(afterGrant.GetProperty("group").GetProperty("roles")));
        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.Empty(Names(afterRevoke.GetProperty("group").GetProperty("roles")));
        Assert.Single(await _api.AuditAsync("group.role_granted"));
        Assert.Single(await _api.AuditAsync("group.role_revoked"));
    }

    // operable/cog web/controllers/v1/role_grant_controller.ex has no clause for any other key (the request failed);
    // ours answers 422 naming the keys, and changes nothing.
    [Theory]
    [InlineData("/v1/groups/ops/roles", """{"roles":{"give":["deployer"]}}""",
        """{"errors":"Nothing was changed: \"give\" is not an operation of \"roles\"; give \"grant\" (or \"add\") and/or \"revoke\" (or \"remove\"), each a list of names."}""")]
    [InlineData("/v1/groups/ops/roles", """{"roles":{}}""",
        """{"errors":"Nothing was changed: \"roles\" must be an object with \"grant\" (or \"add\") and/or \"revoke\" (or \"remove\"), each a list of names."}""")]
    [InlineData("/v1/groups/ops/users", """{"users":{"grant":["admin"]}}""",
        """{"errors":"Nothing was changed: \"grant\" is not an operation of \"users\"; give \"add\" and/or \"remove\", each a list of names."}""")]
    [InlineData("/v1/groups/ops/users", """{"users":["admin"]}""",
        """{"errors":"Nothing was changed: \"users\" must be an object with \"add\" and/or \"remove\", each a list of names."}""")]
    [InlineData("/v1/roles/deployer/permissions", """{"permissions":{"add":["site:deploy"]}}""",
        """{"errors":"Nothing was changed: \"add\" is not an operation of \"permissions\"; give \"grant\" and/or \"revoke\", each a list of names."}""")]
    [InlineData("/v1/relay_groups/prod/relays", """{"relays":{"grant":["r1"]}}""",
        """{"errors":"Nothing was changed: \"grant\" is not an operation of \"relays\"; give \"add\" and/or \"remove\", each a list of names."}""")]
    [InlineData("/v1/relay_groups/prod/bundles", """{"bundles":{}}""",
        """{"errors":"Nothing was changed: \"bundles\" must be an object with \"add\" and/or \"remove\", each a list of names."}""")]
    public async Task A_change_body_with_no_operation_the_route_knows_is_refused_and_changes_nothing(string path, string body, string expected)
    {
        await Json(HttpMethod.Post, "/v1/groups", new { group = new { name = "ops" } });
        await Json(HttpMethod.Post, "/v1/roles", new { role = new { name = "deployer" } });
        await Json(HttpMethod.Post, "/v1/permissions", new { permission = new { name = "deploy" } });
        await Json(HttpMethod.Post, "/v1/relay_groups", new { relay_group = new { name = "prod" } });
        var changesBefore = (await _api.Store.Audit.ListAsync(new Runtime.Audit.AuditQuery(Limit: 1000), ApiWorld.Ct)).Count;

        var answer = await _api.TextAsync(HttpMethod.Post, path, _admin, body);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, expected), answer);
        Assert.Equal(changesBefore, (await _api.Store.Audit.ListAsync(new Runtime.Audit.AuditQuery(Limit: 1000), ApiWorld.Ct)).Count);
    }

    // operable/cog web/controllers/v1/group_membership_controller.ex (users: add/remove, answered with the group) and
    // permission_grant_controller.ex (grant/revoke, answered with the role's permissions: {"permissions": [...]}).
    [Fact]
    public async Task Members_and_role_permissions_change_with_the_bodies_the_original_cogctl_sends()
    {
        await _api.CreateUserAsync(_admin, "bob");
        var (_, group) = await Json(HttpMethod.Post, "/v1/groups", new { group = new { name = "ops" } });
        var groupId = group.GetProperty("group").GetProperty("id").GetString();
        var (_, role) = await Json(HttpMethod.Post, "/v1/roles", new { role = new { name = "deployer" } });
        var roleId = role.GetProperty("role").GetProperty("id").GetString();
        await Json(HttpMethod.Post, "/v1/permissions", new { permission = new { name = "deploy" } });

        var (_, added) = await Json(HttpMethod.Post, $"/v1/groups/{groupId}/users", new { users = new { add = new[] { "bob" } } });
        var (_, granted) = await Json(HttpMethod.Post, $"/v1/roles/{roleId}/permissions", new { permissions = new { grant = new[] { "site:deploy" } } });
        var (_, roleAfterGrant) = await Json(HttpMethod.Get, $"/v1/roles/{roleId}");
        var (_, removed) = await Json(HttpMethod.Post, $"/v1/groups/{groupId}/users", new { users = new { remove = new[] { "bob" } } });
        var (_, revoked) = await Json(HttpMethod.Post, $"/v1/roles/{roleId}/permissions", new { permissions = new { revoke = new[] { "site:deploy" } } });

        Assert.Equal(["bob"], Names(added.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
        var permission = Assert.Single(granted.GetProperty("permissions").EnumerateArray().ToList());
        Assert.Equal(["bundle", "id", "name"], Keys(permission));
        Assert.Equal(("site", "deploy"), (permission.GetProperty("bundle").GetString(), permission.GetProperty("name").GetString()));
        Assert.Equal(["deploy"], Names(roleAfterGrant.GetProperty("role").GetProperty("permissions")));
        Assert.Empty(Names(removed.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
        Assert.Empty(revoked.GetProperty("permissions").EnumerateArray());
    }

    // operable/cog lib/cog/repository/permissions.ex: create_permission(name) creates it in the site bundle; the
    // original cogctl sends the bare name (cogctl/cli/permission.py). The answer is PermissionView's {"id","name","bundle"}.
    [Fact]
    public async Task A_bare_permission_name_creates_a_site_permission()
    {
        var (status, body) = await Json(HttpMethod.Post, "/v1/permissions", new { permission = new { name = "deploy" } });
        var (_, list) = await Json(HttpMethod.Get, "/v1/permissions");
        var other = await _api.TextAsync(HttpMethod.Post, "/v1/permissions", _admin, new { permission = new { name = "s3:deploy" } });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(["bundle", "id", "name"], Keys(body.GetProperty("permission")));
        Assert.Equal(("site", "deploy"), (body.GetProperty("permission").GetProperty("bundle").GetString(), body.GetProperty("permission").GetProperty("name").GetString()));
        Assert.Contains(list.GetProperty("permissions").EnumerateArray(),
            static p => p.GetProperty("bundle").GetString() == "site" && p.GetProperty("name").GetString() == "deploy");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["must be in the site namespace (site:NAME)"]}}"""), other);
        Assert.Single(await _api.AuditAsync("permission.created"));
    }

    // operable/cog lib/cog/repository/bundles.ex status/1 and web/controllers/v1/bundle_status_controller.ex: both status
    // routes answer the bare map; the original cogctl prints "Enabled <name> <enabled_version>" from it
    // (cogctl/cli/bundle/enable.py).
    [Fact]
    public async Task Setting_a_version_status_answers_the_bare_status_map()
    {
        var version = await InstallAsync();
        var path = $"/v1/bundles/{version.GetProperty("bundle_id").GetString()}/versions/{version.GetProperty("id").GetString()}/status";

        var (enabledStatus, enabled) = await Json(HttpMethod.Post, path, new { status = "enabled" });
        var (_, shown) = await Json(HttpMethod.Get, "/v1/bundles/deploy/status");
        var (_, disabled) = await Json(HttpMethod.Post, path, new { status = "disabled" });
        var (_, bundle) = await Json(HttpMethod.Get, "/v1/bundles/deploy");

        Assert.Equal(HttpStatusCode.OK, enabledStatus);
        Assert.Equal("""{"name":"deploy","enabled":true,"enabled_version":"1.0.0","relays":[]}""", enabled.GetRawText());
        Assert.Equal(enabled.GetRawText(), shown.GetRawText());
        Assert.Equal("""{"name":"deploy","enabled":false,"enabled_version":null,"relays":[]}""", disabled.GetRawText());
        Assert.Equal(JsonValueKind.Null, bundle.GetProperty("bundle").GetProperty("enabled_version").ValueKind);
    }

    // operable/cog web/views/bundles_view.ex renders enabled_version with bundle_version_view.ex (commands through
    // command_version_view.ex: {"id","bundle","name","description","documentation","rules"}, rules through rule_view.ex);
    // the original cogctl reads enabled_version.commands[].bundle from the list (cogctl/api.py commands) and
    // enabled_version.permissions from the bundle (cogctl/cli/bundle/info.py).
    [Fact]
    public async Task A_bundle_embeds_its_whole_enabled_version_in_the_list_and_alone()
    {
        var version = await InstallAsync();
        await Json(HttpMethod.Post, $"/v1/bundles/deploy/versions/{version.GetProperty("id").GetString()}/status", new { status = "enabled" });

        var (_, list) = await Json(HttpMethod.Get, "/v1/bundles");
        var (_, shown) = await Json(HttpMethod.Get, $"/v1/bundles/{version.GetProperty("bundle_id").GetString()}");

        var listed = list.GetProperty("bundles").EnumerateArray().Single(static b => b.GetProperty("name").GetString() == "deploy");
        foreach (var bundle in new[] { listed, shown.GetProperty("bundle") })
        {
            var enabled = bundle.GetProperty("enabled_version");
            Assert.Superset(new HashSet<string> { "id", "bundle_id", "name", "description", "version", "enabled", "permissions", "commands", "config_file" },
                new HashSet<string>(Keys(enabled)));
            var command = Assert.Single(enabled.GetProperty("commands").EnumerateArray().ToList());
            Assert.Superset(new HashSet<string> { "id", "bundle", "name", "description", "documentation", "rules" }, new HashSet<string>(Keys(command)));
            Assert.Equal(("deploy", "release"), (command.GetProperty("bundle").GetString(), command.GetProperty("name").GetString()));
            var rule = Assert.Single(command.GetProperty("rules").EnumerateArray().ToList());
            Assert.Equal(["command_name", "id", "rule"], Keys(rule));
            Assert.Equal("deploy:release", rule.GetProperty("command_name").GetString());
            Assert.Equal(["deploy:release"], [.. enabled.GetProperty("permissions").EnumerateArray().Select(static p => p.GetProperty("bundle").GetString() + ":" + p.GetProperty("name").GetString())]);
            Assert.Equal("""[{"name":"release","source":"~$body~"}]""", enabled.GetProperty("templates").GetRawText());
        }
    }

    // operable/cog web/controllers/v1/rule_controller.ex create renders "rule.json" with no envelope, and
    // web/views/rule_view.ex writes {"id","command_name","rule"}; the original cogctl reads "id" and "rule" from the bare
    // answers of POST /v1/rules and GET /v1/rules/:id (cogctl/cli/rule.py).
    [Fact]
    public async Task A_rule_is_answered_bare_with_its_command_name()
    {
        var version = await InstallAsync();
        await Json(HttpMethod.Post, $"/v1/bundles/deploy/versions/{version.GetProperty("id").GetString()}/status", new { status = "enabled" });
        await Json(HttpMethod.Post, "/v1/permissions", new { permission = new { name = "deploy" } });

        var (created, rule) = await Json(HttpMethod.Post, "/v1/rules", new { rule = "when command is deploy:release must have site:deploy" });
        var id = rule.GetProperty("id").GetString();
        var (_, shown) = await Json(HttpMethod.Get, $"/v1/rules/{id}");
        var (_, listed) = await Json(HttpMethod.Get, "/v1/rules?for-command=deploy:release");
        var deleted = await _api.TextAsync(HttpMethod.Delete, $"/v1/rules/{id}", _admin);
        var gone = await _api.TextAsync(HttpMethod.Get, $"/v1/rules/{id}", _admin);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal($$"""{"id":"{{id}}","command_name":"deploy:release","rule":"when command is deploy:release must have site:deploy"}""", rule.GetRawText());
        Assert.Equal(rule.GetRawText(), shown.GetRawText());
        Assert.Contains(listed.GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == id && r.GetProperty("command_name").GetString() == "deploy:release");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    // operable/cog web/controllers/v1/bundle_dynamic_config_controller.ex stores the base layer under the name "config",
    // and web/views/bundle_dynamic_config_view.ex writes {"bundle_id","bundle_name","layer","name","config"}; the original
    // cogctl finds the base layer by layer "base" and name "config" (cogctl/api.py dynamic_config).
    [Fact]
    public async Task The_base_config_layer_is_named_config_on_the_wire()
    {
        var version = await InstallAsync();
        var bundleId = version.GetProperty("bundle_id").GetString();

        var (created, set) = await Json(HttpMethod.Post, $"/v1/bundles/{bundleId}/dynamic_config/base", new { config = new { region = "us-east-1" } });
        var (_, room) = await Json(HttpMethod.Post, $"/v1/bundles/{bundleId}/dynamic_config/room/ops", new { config = new { region = "eu-west-1" } });
        var (_, all) = await Json(HttpMethod.Get, $"/v1/bundles/{bundleId}/dynamic_config");
        var deleted = await _api.TextAsync(HttpMethod.Delete, $"/v1/bundles/{bundleId}/dynamic_config/base", _admin);
        var (_, after) = await Json(HttpMethod.Get, $"/v1/bundles/{bundleId}/dynamic_config");

        Assert.Equal(HttpStatusCode.Created, created);
        var layer = set.GetProperty("dynamic_configuration");
        Assert.Superset(new HashSet<string> { "bundle_id", "bundle_name", "layer", "name", "config" }, new HashSet<string>(Keys(layer)));
        Assert.Equal(("base", "config"), (layer.GetProperty("layer").GetString(), layer.GetProperty("name").GetString()));
        Assert.Equal(("room", "ops"), (room.GetProperty("dynamic_configuration").GetProperty("layer").GetString(), room.GetProperty("dynamic_configuration").GetProperty("name").GetString()));
        Assert.Contains(all.GetProperty("dynamic_configurations").EnumerateArray(),
            static c => c.GetProperty("layer").GetString() == "base" && c.GetProperty("name").GetString() == "config"
                && c.GetProperty("config").GetProperty("region").GetString() == "us-east-1");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(["room"], Names(after.GetProperty("dynamic_configurations"), "layer"));
    }

    // operable/cog web/controllers/v1/bundles_controller.ex: an invalid config answers 422
    // {"errors": ["Invalid config file.", "Error near #/...: ..."]}; the original cogctl prints the list.
    [Fact]
    public async Task An_invalid_manifest_is_answered_with_a_list_of_errors()
    {
        var config = JsonSerializer.Deserialize<JsonElement>("""{"cog_bundle_version": 4, "name": "deploy", "version": "1.0.0", "commands": {"release": {}}}""");

        var (status, body) = await Json(HttpMethod.Post, "/v1/bundles", new { bundle = new { config } });
        var (_, list) = await Json(HttpMethod.Get, "/v1/bundles");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var errors = body.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.True(errors.GetArrayLength() >= 2);
        Assert.All(errors.EnumerateArray().Skip(1), static e => Assert.StartsWith("Error near #", e.GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain(list.GetProperty("bundles").EnumerateArray(), static b => b.GetProperty("name").GetString() == "deploy");
    }

    // Every route answers a JSON error body for an unknown route, a method it does not take and an unknown id, so that
    // the clients' error printing (cogctl's error_handler reads the body) has something to print.
    [Theory]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("POST", "/v1/bundles/install/deploy/latest")]
    [InlineData("POST", "/v1/users/reset-password")]
    [InlineData("PATCH", "/v1/bundles")]
    [InlineData("GET", "/v1/users/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/v1/groups/nope")]
    [InlineData("GET", "/v1/roles/nope")]
    [InlineData("GET", "/v1/permissions/site:nope")]
    [InlineData("GET", "/v1/bundles/nope")]
    [InlineData("GET", "/v1/bundles/nope/versions")]
    [InlineData("GET", "/v1/bundles/nope/versions/1.0.0")]
    [InlineData("GET", "/v1/bundles/nope/status")]
    [InlineData("GET", "/v1/bundles/nope/dynamic_config")]
    [InlineData("GET", "/v1/bundles/nope/dynamic_config/base")]
    [InlineData("GET", "/v1/rules/00000000-0000-0000-0000-000000000000")]
    [InlineData("DELETE", "/v1/rules/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/v1/triggers/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/v1/relays/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/v1/relay_groups/nope")]
    [InlineData("DELETE", "/v1/chat_handles/00000000-0000-0000-0000-000000000000")]
    public async Task A_missing_route_method_or_id_is_answered_with_a_json_error(string method, string path)
    {
        using var response = await _api.SendAsync(new HttpMethod(method), path, _admin, method is "POST" or "PATCH" ? "{}" : null);
        var (status, body) = await ApiWorld.ReadJsonAsync(response);

        Assert.Contains(status, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var message = body.TryGetProperty("errors", out var errors) ? errors : body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(message.GetString()));
    }
}
