using System.Net;
using System.Text.Json;

namespace Cog.Api.Tests.Identity;

public class RoleEndpointsTests
{
    static string[] Names(JsonElement list) => [.. list.EnumerateArray().Select(static e => e.GetProperty("name").GetString()!)];

    [Fact]
    public async Task A_role_is_created_given_permissions_found_by_name_renamed_and_deleted()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();

        var (status, created) = await world.SendAsync(HttpMethod.Post, "/v1/roles", """{"role":{"name":"deployer"}}""", admin);
        var id = created!.Value.GetProperty("role").GetProperty("id").GetString();
        var (_, granted) = await world.SendAsync(HttpMethod.Post, "/v1/roles/deployer/permissions",
            """{"permissions":{"grant":["operable:manage_relays","operable:manage_triggers"]}}""", admin);
        var (_, revoked) = await world.SendAsync(HttpMethod.Post, $"/v1/roles/{id}/permissions", """{"permissions":{"revoke":["operable:manage_triggers"]}}""", admin);
        var (_, listed) = await world.SendAsync(HttpMethod.Get, "/v1/roles/deployer/permissions", token: admin);
        var (_, byName) = await world.SendAsync(HttpMethod.Get, "/v1/roles?name=deployer", token: admin);
        var (_, all) = await world.SendAsync(HttpMethod.Get, "/v1/roles", token: admin);
        var (_, renamed) = await world.SendAsync(HttpMethod.Put, "/v1/roles/deployer", """{"role":{"name":"releaser"}}""", admin);
        var deleted = await world.SendTextAsync(HttpMethod.Delete, "/v1/roles/releaser", token: admin);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal($$"""{"id":"{{id}}","name":"deployer","permissions":[],"groups":[]}""", created.Value.GetProperty("role").GetRawText());
        Assert.Equal(["manage_relays", "manage_triggers"], Names(granted!.Value.GetProperty("permissions")));
        Assert.Equal(["manage_relays"], Names(revoked!.Value.GetProperty("permissions")));
        Assert.Equal("operable", listed!.Value.GetProperty("permissions")[0].GetProperty("bundle").GetString());
        Assert.Equal(id, byName!.Value.GetProperty("role").GetProperty("id").GetString());
        Assert.Equal(["cog-admin", "deployer"], Names(all!.Value.GetProperty("roles")));
        Assert.Equal(["cog-admin"], Names(all.Value.GetProperty("roles")[0].GetProperty("groups")));
        Assert.Equal("releaser", renamed!.Value.GetProperty("role").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Role not found"}"""), await world.SendTextAsync(HttpMethod.Get, "/v1/roles?name=releaser", token: admin));
    }

    [Fact]
    public async Task Unknown_permissions_and_protected_changes_get_422()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"not_found":{"permissions":["site:nope"]}}}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", """{"permissions":{"grant":["site:nope"]}}""", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Permission 'operable:manage_roles' cannot be revoked from the cog-admin role"}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", """{"permissions":{"revoke":["operable:manage_roles"]}}""", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin role cannot be deleted"}"""),
            await world.SendTextAsync(HttpMethod.Delete, "/v1/roles/cog-admin", token: admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"grant":["is invalid"]}}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", """{"permissions":{"grant":"site:x"}}""", admin));
    }

    [Fact]
    public async Task A_new_grant_takes_effect_on_the_next_request()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob", "pw");
        var bob = await world.TokenAsync("bob", "pw");
        Assert.Equal(HttpStatusCode.Forbidden, (await world.SendTextAsync(HttpMethod.Get, "/v1/roles", token: bob)).Status);

        await world.SendAsync(HttpMethod.Post, "/v1/roles", """{"role":{"name":"role-admins"}}""", admin);
        await world.SendAsync(HttpMethod.Post, "/v1/roles/role-admins/permissions", """{"permissions":{"grant":["operable:manage_roles"]}}""", admin);
        await world.SendAsync(HttpMethod.Post, "/v1/groups", """{"group":{"name":"role-admins"}}""", admin);
        await world.SendAsync(HttpMethod.Post, "/v1/groups/role-admins/roles", """{"roles":{"grant":["role-admins"]}}""", admin);
        await world.SendAsync(HttpMethod.Post, "/v1/groups/role-admins/users", """{"users":{"add":["bob"]}}""", admin);

        Assert.Equal(HttpStatusCode.OK, (await world.SendTextAsync(HttpMethod.Get, "/v1/roles", token: bob)).Status);
    }
}
