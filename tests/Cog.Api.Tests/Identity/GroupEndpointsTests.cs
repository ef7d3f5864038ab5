using System.Net;
using System.Text.Json;

namespace Cog.Api.Tests.Identity;

public class GroupEndpointsTests
{
    static string[] Names(JsonElement list, string property = "name") =>
        [.. list.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    [Fact]
    public async Task A_group_is_created_given_members_and_roles_renamed_and_deleted()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob");
        await world.SendAsync(HttpMethod.Post, "/v1/roles", """{"role":{"name":"deployer"}}""", admin);

        var (createStatus, created) = await world.SendAsync(HttpMethod.Post, "/v1/groups", """{"group":{"name":"ops"}}""", admin);
        var id = created!.Value.GetProperty("group").GetProperty("id").GetString();
        var (_, members) = await world.SendAsync(HttpMethod.Post, "/v1/groups/ops/users", """{"users":{"add":["bob","admin"]}}""", admin);
        var (_, roles) = await world.SendAsync(HttpMethod.Post, $"/v1/groups/{id}/roles", """{"roles":{"grant":["deployer"]}}""", admin);
        var (_, shown) = await world.SendAsync(HttpMethod.Get, "/v1/groups/ops/users", token: admin);
        var (_, renamed) = await world.SendAsync(HttpMethod.Put, "/v1/groups/ops", """{"group":{"name":"sre"}}""", admin);
        var (_, removed) = await world.SendAsync(HttpMethod.Post, "/v1/groups/sre/users", """{"users":{"remove":["bob","admin"]}}""", admin);
        await world.SendAsync(HttpMethod.Post, "/v1/groups/sre/roles", """{"roles":{"revoke":["deployer"]}}""", admin);
        var deleted = await world.SendTextAsync(HttpMethod.Delete, "/v1/groups/sre", token: admin);
        var gone = await world.SendTextAsync(HttpMethod.Get, $"/v1/groups/{id}", token: admin);

        Assert.Equal(HttpStatusCode.Created, createStatus);
        Assert.Equal($$"""{"id":"{{id}}","name":"ops","members":{"users":[],"roles":[]},"roles":[]}""", created.Value.GetProperty("group").GetRawText());
        Assert.Equal(["admin", "bob"], Names(members!.Value.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
        Assert.Equal(["deployer"], Names(roles!.Value.GetProperty("roles")));
        Assert.Equal(["deployer"], Names(shown!.Value.GetProperty("group").GetProperty("roles")));
        Assert.Equal(["deployer"], Names(shown.Value.GetProperty("group").GetProperty("members").GetProperty("roles")));
        Assert.Equal("sre", renamed!.Value.GetProperty("group").GetProperty("name").GetString());
        Assert.Empty(Names(removed!.Value.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Group not found"}"""), gone);
        Assert.Equal(2, (await world.AuditAsync("group.member_added")).Count);
    }

    [Fact]
    public async Task Unknown_names_get_422_naming_them_and_change_nothing()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();
        await world.SendAsync(HttpMethod.Post, "/v1/groups", """{"group":{"name":"ops"}}""", admin);

        var users = await world.SendTextAsync(HttpMethod.Post, "/v1/groups/ops/users", """{"users":{"add":["admin","eve"],"remove":["zed"]}}""", admin);
        var roles = await world.SendTextAsync(HttpMethod.Post, "/v1/groups/ops/roles", """{"roles":{"grant":["nope"]}}""", admin);
        var (_, group) = await world.SendAsync(HttpMethod.Get, "/v1/groups/ops", token: admin);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"not_found":{"users":["eve","zed"]}}}"""), users);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"not_found":{"roles":["nope"]}}}"""), roles);
        Assert.Empty(Names(group!.Value.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
    }

    [Fact]
    public async Task The_admin_group_is_protected()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group must have at least one member"}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/groups/cog-admin/users", """{"users":{"remove":["admin"]}}""", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin role cannot be revoked from the cog-admin group"}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/groups/cog-admin/roles", """{"roles":{"revoke":["cog-admin"]}}""", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group cannot be renamed"}"""),
            await world.SendTextAsync(HttpMethod.Put, "/v1/groups/cog-admin", """{"group":{"name":"root"}}""", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group cannot be deleted"}"""),
            await world.SendTextAsync(HttpMethod.Delete, "/v1/groups/cog-admin", token: admin));
    }

    [Fact]
    public async Task Groups_need_manage_groups_and_a_denial_is_audited_with_the_permission()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob", "pw");
        var bob = await world.TokenAsync("bob", "pw");

        var answer = await world.SendTextAsync(HttpMethod.Post, "/v1/groups", """{"group":{"name":"mine"}}""", bob);

        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), answer);
        var denial = Assert.Single(await world.AuditAsync("api.denied"));
        Assert.Equal(("bob", "POST /v1/groups", "denied"), (denial.Actor, denial.Command, denial.Outcome));
        Assert.Equal("""{"method":"POST","path":"/v1/groups","permission":"operable:manage_groups"}""", denial.PayloadJson);
    }

    [Fact]
    public async Task A_taken_or_blank_group_name_gets_a_field_error()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["has already been taken"]}}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/groups", """{"group":{"name":"cog-admin"}}""", admin));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["can't be blank"]}}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/groups", """{"group":{}}""", admin));
    }
}
