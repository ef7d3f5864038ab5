using System.Net;
using System.Text.Json;

namespace Cog.Api.Tests.Compatibility;

/// <summary>The rest of the routes listed in <see cref="OriginalClientTests"/>: each driven with the body the original
/// cogctl (operable/cogctl cogctl/api.py) sends, its answer checked for the members Cog 1.0's view wrote, and its effect
/// checked with a follow-up read.</summary>
public sealed class OriginalClientRoundTripTests : IAsyncLifetime
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

    static void HasMembers(JsonElement element, params string[] members) =>
        Assert.Superset(new HashSet<string>(members), new HashSet<string>(element.EnumerateObject().Select(static p => p.Name)));

    static string[] Names(JsonElement list, string property = "name") => [.. list.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    // operable/cog web/controllers/v1/bootstrap_controller.ex and token_controller.ex: {"bootstrap": {"bootstrap_status"}},
    // {"token": {"value"}} for {"username","password"} (cogctl/api.py bootstrap_status, token).
    [Fact]
    public async Task Bootstrap_status_and_token()
    {
        await using var fresh = await ApiWorld.StartAsync();

        var (_, before) = await fresh.JsonAsync(HttpMethod.Get, "/v1/bootstrap");
        var (bootstrapped, admin) = await fresh.JsonAsync(HttpMethod.Post, "/v1/bootstrap");
        var (_, after) = await fresh.JsonAsync(HttpMethod.Get, "/v1/bootstrap");
        var (issued, token) = await fresh.JsonAsync(HttpMethod.Post, "/v1/token", null,
            new { username = admin.GetProperty("bootstrap").GetProperty("username").GetString(), password = admin.GetProperty("bootstrap").GetProperty("password").GetString() });
        var (usable, _) = await fresh.JsonAsync(HttpMethod.Get, "/v1/users", token.GetProperty("token").GetProperty("value").GetString());

        Assert.False(before.GetProperty("bootstrap").GetProperty("bootstrap_status").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, bootstrapped);
        HasMembers(admin.GetProperty("bootstrap"), "username", "password");
        Assert.True(after.GetProperty("bootstrap").GetProperty("bootstrap_status").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, issued);
        Assert.Equal(HttpStatusCode.OK, usable);
    }

    // operable/cog web/views/user_view.ex: {"id","username","first_name","last_name","email_address","groups","chat_handles"}.
    [Fact]
    public async Task Users_are_created_found_updated_and_deleted()
    {
        var (created, user) = await Json(HttpMethod.Post, "/v1/users",
            new { user = new { username = "bob", email_address = "bob@example.com", first_name = "Bob", last_name = "B", password = "pw" } });
        var id = user.GetProperty("user").GetProperty("id").GetString();
        var (_, byName) = await Json(HttpMethod.Get, "/v1/users?username=bob");
        var (_, updated) = await Json(HttpMethod.Put, $"/v1/users/{id}", new { user = new { first_name = "Robert" } });
        var (_, shown) = await Json(HttpMethod.Get, $"/v1/users/{id}");
        var (_, list) = await Json(HttpMethod.Get, "/v1/users");
        var deleted = await _api.TextAsync(HttpMethod.Delete, $"/v1/users/{id}", _admin);
        var gone = await _api.TextAsync(HttpMethod.Get, $"/v1/users/{id}", _admin);

        Assert.Equal(HttpStatusCode.Created, created);
        HasMembers(user.GetProperty("user"), "id", "username", "first_name", "last_name", "email_address", "groups", "chat_handles");
        Assert.Equal(id, byName.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("Robert", updated.GetProperty("user").GetProperty("first_name").GetString());
        Assert.Equal("Robert", shown.GetProperty("user").GetProperty("first_name").GetString());
        Assert.Contains("bob", Names(list.GetProperty("users"), "username"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    // operable/cog web/controllers/v1/group_controller.ex, role_controller.ex, permission_controller.ex: envelopes
    // "group(s)", "role(s)", "permission(s)"; PUT renames (PATCH for cog-api-client's role_update); DELETE answers 204.
    [Fact]
    public async Task Groups_roles_and_permissions_are_listed_renamed_and_deleted()
    {
        var (_, group) = await Json(HttpMethod.Post, "/v1/groups", new { group = new { name = "ops" } });
        var groupId = group.GetProperty("group").GetProperty("id").GetString();
        var (_, role) = await Json(HttpMethod.Post, "/v1/roles", new { role = new { name = "deployer" } });
        var roleId = role.GetProperty("role").GetProperty("id").GetString();
        var (_, permission) = await Json(HttpMethod.Post, "/v1/permissions", new { permission = new { name = "deploy" } });
        var permissionId = permission.GetProperty("permission").GetProperty("id").GetString();

        var (_, renamedGroup) = await Json(HttpMethod.Put, $"/v1/groups/{groupId}", new { group = new { name = "sre" } });
        var (_, renamedRole) = await Json(HttpMethod.Put, $"/v1/roles/{roleId}", new { role = new { name = "shipper" } });
        var (_, patchedRole) = await Json(HttpMethod.Patch, $"/v1/roles/{roleId}", new { role = new { name = "releaser" } });
        var (_, groups) = await Json(HttpMethod.Get, "/v1/groups");
        var (_, roles) = await Json(HttpMethod.Get, "/v1/roles");
        var (_, shownRole) = await Json(HttpMethod.Get, $"/v1/roles/{roleId}");
        var deletions = new[]
        {
            await _api.TextAsync(HttpMethod.Delete, $"/v1/groups/{groupId}", _admin),
            await _api.TextAsync(HttpMethod.Delete, $"/v1/roles/{roleId}", _admin),
            await _api.TextAsync(HttpMethod.Delete, $"/v1/permissions/{permissionId}", _admin),
        };
        var (_, groupsAfter) = await Json(HttpMethod.Get, "/v1/groups");
        var (_, rolesAfter) = await Json(HttpMethod.Get, "/v1/roles");
        var (_, permissionsAfter) = await Json(HttpMethod.Get, "/v1/permissions");

        Assert.Equal("sre", renamedGroup.GetProperty("group").GetProperty("name").GetString());
        Assert.Equal("shipper", renamedRole.GetProperty("role").GetProperty("name").GetString());
        Assert.Equal("releaser", patchedRole.GetProperty("role").GetProperty("name").GetString());
        Assert.Contains("sre", Names(groups.GetProperty("groups")));
        Assert.Contains("releaser", Names(roles.GetProperty("roles")));
        HasMembers(shownRole.GetProperty("role"), "id", "name", "permissions");
        Assert.All(deletions, static d => Assert.Equal(HttpStatusCode.NoContent, d.Status));
        Assert.DoesNotContain("sre", Names(groupsAfter.GetProperty("groups")));
        Assert.DoesNotContain("releaser", Names(rolesAfter.GetProperty("roles")));
        Assert.DoesNotContain(permissionsAfter.GetProperty("permissions").EnumerateArray(), static p => p.GetProperty("name").GetString() == "deploy");
    }

    // operable/cog web/views/bundle_version_view.ex ({"bundle_versions": [...]}, {"bundle_version": {...}}); the original
    // cogctl lists versions with a trailing slash (cogctl/api.py bundle_versions) and uninstalls with DELETE.
    [Fact]
    public async Task Bundle_versions_are_listed_shown_and_uninstalled()
    {
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            var (status, _) = await Json(HttpMethod.Post, "/v1/bundles", new { bundle = new { config = ApiWorld.Manifest(version: version), force = false } });
            Assert.Equal(HttpStatusCode.Created, status);
        }
        var (_, bundle) = await Json(HttpMethod.Get, "/v1/bundles/deploy");
        var bundleId = bundle.GetProperty("bundle").GetProperty("id").GetString();
        var old = bundle.GetProperty("bundle").GetProperty("versions").EnumerateArray().Single(static v => v.GetProperty("version").GetString() == "1.0.0");

        var (_, versions) = await Json(HttpMethod.Get, $"/v1/bundles/{bundleId}/versions/");
        var (_, shown) = await Json(HttpMethod.Get, $"/v1/bundles/{bundleId}/versions/{old.GetProperty("id").GetString()}");
        var deleted = await _api.TextAsync(HttpMethod.Delete, $"/v1/bundles/{bundleId}/versions/{old.GetProperty("id").GetString()}", _admin);
        var (_, after) = await Json(HttpMethod.Get, $"/v1/bundles/{bundleId}/versions/");

        Assert.Equal(["1.0.0", "1.1.0"], Names(versions.GetProperty("bundle_versions"), "version").Order(StringComparer.Ordinal));
        HasMembers(shown.GetProperty("bundle_version"), "id", "bundle_id", "name", "version", "enabled", "permissions", "commands");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(["1.1.0"], Names(after.GetProperty("bundle_versions"), "version"));
    }

    // operable/cog web/views/trigger_view.ex: {"id","name","description","enabled","pipeline","as_user","timeout_sec",
    // "invocation_url"}; the original cogctl creates with {"trigger": {"name","pipeline","enabled","timeout_sec"}}.
    [Fact]
    public async Task Triggers_are_created_found_updated_and_deleted()
    {
        var (created, trigger) = await Json(HttpMethod.Post, "/v1/triggers",
            new { trigger = new { name = "deploy-hook", pipeline = "echo hi", enabled = false, timeout_sec = 60 } });
        var id = trigger.GetProperty("trigger").GetProperty("id").GetString();
        var (_, byName) = await Json(HttpMethod.Get, "/v1/triggers?name=deploy-hook");
        var (_, updated) = await Json(HttpMethod.Put, $"/v1/triggers/{id}", new { trigger = new { enabled = true } });
        var (_, list) = await Json(HttpMethod.Get, "/v1/triggers");
        var deleted = await _api.TextAsync(HttpMethod.Delete, $"/v1/triggers/{id}", _admin);
        var (_, after) = await Json(HttpMethod.Get, "/v1/triggers");

        Assert.Equal(HttpStatusCode.Created, created);
        HasMembers(trigger.GetProperty("trigger"), "id", "name", "description", "enabled", "pipeline", "as_user", "timeout_sec", "invocation_url");
        Assert.Equal(["deploy-hook"], Names(byName.GetProperty("triggers")));
        Assert.True(updated.GetProperty("trigger").GetProperty("enabled").GetBoolean());
        Assert.True(list.GetProperty("triggers").EnumerateArray().Single().GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(after.GetProperty("triggers").EnumerateArray());
    }

    // operable/cog web/controllers/v1/chat_handle_controller.ex: {"chat_handle": {...}} for {"chat_handle":
    // {"chat_provider","handle"}} (cogctl/api.py new_chat_handle).
    [Fact]
    public async Task Chat_handles_are_created_listed_and_deleted()
    {
        var user = await _api.CreateUserAsync(_admin, "bob");
        var userId = user.GetProperty("id").GetString();

        var (created, handle) = await Json(HttpMethod.Post, $"/v1/users/{userId}/chat_handles", new { chat_handle = new { chat_provider = "slack", handle = "bob" } });
        var (_, list) = await Json(HttpMethod.Get, "/v1/chat_handles");
        var deleted = await _api.TextAsync(HttpMethod.Delete, $"/v1/chat_handles/{handle.GetProperty("chat_handle").GetProperty("id").GetString()}", _admin);
        var (_, after) = await Json(HttpMethod.Get, "/v1/chat_handles");

        Assert.Equal(HttpStatusCode.Created, created);
        HasMembers(handle.GetProperty("chat_handle"), "id", "handle", "chat_provider", "user");
        Assert.Equal(["bob"], Names(list.GetProperty("chat_handles"), "handle"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(after.GetProperty("chat_handles").EnumerateArray());
    }

    // operable/cog web/views/relay_view.ex ({"id","name","enabled","groups"}) and relay_group_view.ex
    // ({"id","name","relays","bundles"}); relay_group_membership_controller.ex takes {"relays"|"bundles": {"add"|"remove":
    // [ids]}} and answers {"relay_group": {...}} (cogctl/api.py _modify_relay_association).
    [Fact]
    public async Task Relays_and_relay_groups_are_created_joined_updated_and_deleted()
    {
        await Json(HttpMethod.Post, "/v1/bundles", new { bundle = new { config = ApiWorld.Manifest(), force = false } });
        var (_, bundle) = await Json(HttpMethod.Get, "/v1/bundles/deploy");
        var bundleId = bundle.GetProperty("bundle").GetProperty("id").GetString();
        const string RelayId = "6f5b3c0e-32c4-4c3b-9a0f-3a1c5b7d9e21";

        var (createdRelay, relay) = await Json(HttpMethod.Post, "/v1/relays",
            new { relay = new { name = "r1", id = RelayId, token = "sekret", description = "first", enabled = false } });
        var (createdGroup, group) = await Json(HttpMethod.Post, "/v1/relay_groups", new { relay_group = new { name = "prod" } });
        var groupId = group.GetProperty("relay_group").GetProperty("id").GetString();
        var (_, joined) = await Json(HttpMethod.Post, $"/v1/relay_groups/{groupId}/relays", new { relays = new { add = new[] { RelayId } } });
        var (_, assigned) = await Json(HttpMethod.Post, $"/v1/relay_groups/{groupId}/bundles", new { bundles = new { add = new[] { bundleId } } });
        var (_, enabled) = await Json(HttpMethod.Put, $"/v1/relays/{RelayId}", new { relay = new { enabled = true } });
        var (_, shownRelay) = await Json(HttpMethod.Get, $"/v1/relays/{RelayId}");
        var (_, relays) = await Json(HttpMethod.Get, "/v1/relays");
        var (_, groups) = await Json(HttpMethod.Get, "/v1/relay_groups");
        var (_, left) = await Json(HttpMethod.Post, $"/v1/relay_groups/{groupId}/relays", new { relays = new { remove = new[] { RelayId } } });
        var (_, unassigned) = await Json(HttpMethod.Post, $"/v1/relay_groups/{groupId}/bundles", new { bundles = new { remove = new[] { bundleId } } });
        var deletedGroup = await _api.TextAsync(HttpMethod.Delete, $"/v1/relay_groups/{groupId}", _admin);
        var deletedRelay = await _api.TextAsync(HttpMethod.Delete, $"/v1/relays/{RelayId}", _admin);
        var (_, relaysAfter) = await Json(HttpMethod.Get, "/v1/relays");
        var (_, groupsAfter) = await Json(HttpMethod.Get, "/v1/relay_groups");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (createdRelay, createdGroup));
        HasMembers(relay.GetProperty("relay"), "id", "name", "enabled", "groups");
        HasMembers(group.GetProperty("relay_group"), "id", "name", "relays", "bundles");
        Assert.Equal(["r1"], Names(joined.GetProperty("relay_group").GetProperty("relays")));
        Assert.Equal(["deploy"], Names(assigned.GetProperty("relay_group").GetProperty("bundles")));
        Assert.True(enabled.GetProperty("relay").GetProperty("enabled").GetBoolean());
        Assert.Equal(["prod"], Names(shownRelay.GetProperty("relay").GetProperty("groups")));
        Assert.Equal(["r1"], Names(relays.GetProperty("relays")));
        Assert.Equal(["prod"], Names(groups.GetProperty("relay_groups")));
        Assert.Empty(left.GetProperty("relay_group").GetProperty("relays").EnumerateArray());
        Assert.Empty(unassigned.GetProperty("relay_group").GetProperty("bundles").EnumerateArray());
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (deletedGroup.Status, deletedRelay.Status));
        Assert.Empty(relaysAfter.GetProperty("relays").EnumerateArray());
        Assert.Empty(groupsAfter.GetProperty("relay_groups").EnumerateArray());
    }
}
