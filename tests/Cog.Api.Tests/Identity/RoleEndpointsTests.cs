using System.Net;
using System.Text.Json;

namespace Cog.Api.Tests.Identity;

public class RoleEndpointsTests
{
    static string[] Names(JsonElement list) => [.. list.EnumerateArray().Select(static e => e.GetProperty("name").GetString()!)];

    [Fact]
    public async Task A_role_is_created_given_permissions_found_by_name_renamed_and_deleted()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var (status, created) = await world.JsonAsync(HttpMethod.Post, "/v1/roles", admin, """{"role":{"name":"deployer"}}""");
        var id = created.GetProperty("role").GetProperty("id").GetString();
        var (_, granted) = await world.JsonAsync(HttpMethod.Post, "/v1/roles/deployer/permissions", admin, """{"permissions":{"grant":["operable:manage_relays","operable:manage_triggers"]}}""");
        var (_, revoked) = await world.JsonAsync(HttpMethod.Post, $"/v1/roles/{id}/permissions", admin, """{"permissions":{"revoke":["operable:manage_triggers"]}}""");
        var (_, listed) = await world.JsonAsync(HttpMethod.Get, "/v1/roles/deployer/permissions", admin);
        var (_, byName) = await world.JsonAsync(HttpMethod.Get, "/v1/roles?name=deployer", admin);
        var (_, all) = await world.JsonAsync(HttpMethod.Get, "/v1/roles", admin);
        var (_, renamed) = await world.JsonAsync(HttpMethod.Put, "/v1/roles/deployer", admin, """{"role":{"name":"releaser"}}""");
        var deleted = await world.TextAsync(HttpMethod.Delete, "/v1/roles/releaser", admin);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal($$"""{"id":"{{id}}","name":"deployer","permissions":[],"groups":[]}""", created.GetProperty("role").GetRawText());
        Assert.Equal(["manage_relays", "manage_triggers"], Names(granted.GetProperty("permissions")));
        Assert.Equal(["manage_relays"], Names(revoked.GetProperty("permissions")));
        Assert.Equal("operable", listed.GetProperty("permissions")[0].GetProperty("bundle").GetString());
        Assert.Equal(id, byName.GetProperty("role").GetProperty("id").GetString());
        Assert.Equal(["cog-admin", "deployer"], Names(all.GetProperty("roles")));
        Assert.Equal(["cog-admin"], Names(all.GetProperty("roles")[0].GetProperty("groups")));
        Assert.Equal("releaser", renamed.GetProperty("role").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Role not found"}"""), await world.TextAsync(HttpMethod.Get, "/v1/roles?name=releaser", admin));
    }

    [Fact]
    public async Task Unknown_permissions_and_protected_changes_get_422()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"not_found":{"permissions":["site:nope"]}}}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", admin, """{"permissions":{"grant":["site:nope"]}}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Permission 'operable:manage_roles' cannot be revoked from the cog-admin role"}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", admin, """{"permissions":{"revoke":["operable:manage_roles"]}}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin role cannot be deleted"}"""),
            await world.TextAsync(HttpMethod.Delete, "/v1/roles/cog-admin", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"grant":["is invalid"]}}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", admin, """{"permissions":{"grant":"site:x"}}"""));
    }

    [Fact]
    public async Task A_new_grant_takes_effect_on_the_next_request()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob", "pw");
        var bob = await world.TokenAsync("bob", "pw");
        Assert.Equal(HttpStatusCode.Forbidden, (await world.TextAsync(HttpMethod.Get, "/v1/roles", bob)).Status);

        await world.JsonAsync(HttpMethod.Post, "/v1/roles", admin, """{"role":{"name":"role-admins"}}""");
        await world.JsonAsync(HttpMethod.Post, "/v1/roles/role-admins/permissions", admin, """{"permissions":{"grant":["operable:manage_roles"]}}""");
        await world.JsonAsync(HttpMethod.Post, "/v1/groups", admin, """{"group":{"name":"role-admins"}}""");
        await world.JsonAsync(HttpMethod.Post, "/v1/groups/role-admins/roles", admin, """{"roles":{"grant":["role-admins"]}}""");
        await world.JsonAsync(HttpMethod.Post, "/v1/groups/role-admins/users", admin, """{"users":{"add":["bob"]}}""");

        Assert.Equal(HttpStatusCode.OK, (await world.TextAsync(HttpMethod.Get, "/v1/roles", bob)).Status);
    }
}
