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
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob");
        await world.JsonAsync(HttpMethod.Post, "/v1/roles", admin, """{"role":{"name":"deployer"}}""");

        var (createStatus, created) = await world.JsonAsync(HttpMethod.Post, "/v1/groups", admin, """{"group":{"name":"ops"}}""");
        var id = created.GetProperty("group").GetProperty("id").GetString();
        var (_, members) = await world.JsonAsync(HttpMethod.Post, "/v1/groups/ops/users", admin, """{"users":{"add":["bob","admin"]}}""");
        var (_, roles) = await world.JsonAsync(HttpMethod.Post, $"/v1/groups/{id}/roles", admin, """{"roles":{"grant":["deployer"]}}""");
        var (_, shown) = await world.JsonAsync(HttpMethod.Get, "/v1/groups/ops/users", admin);
        var (_, renamed) = await world.JsonAsync(HttpMethod.Put, "/v1/groups/ops", admin, """{"group":{"name":"sre"}}""");
        var (_, removed) = await world.JsonAsync(HttpMethod.Post, "/v1/groups/sre/users", admin, """{"users":{"remove":["bob","admin"]}}""");
        await world.JsonAsync(HttpMethod.Post, "/v1/groups/sre/roles", admin, """{"roles":{"revoke":["deployer"]}}""");
        var deleted = await world.TextAsync(HttpMethod.Delete, "/v1/groups/sre", admin);
        var gone = await world.TextAsync(HttpMethod.Get, $"/v1/groups/{id}", admin);

        Assert.Equal(HttpStatusCode.Created, createStatus);
        Assert.Equal($$"""{"id":"{{id}}","name":"ops","members":{"users":[],"roles":[]},"roles":[]}""", created.GetProperty("group").GetRawText());
        Assert.Equal(["admin", "bob"], Names(members.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
        Assert.Equal(["deployer"], Names(roles.GetProperty("roles")));
        Assert.Equal(["deployer"], Names(shown.GetProperty("group").GetProperty("roles")));
        Assert.Equal(["deployer"], Names(shown.GetProperty("group").GetProperty("members").GetProperty("roles")));
        Assert.Equal("sre", renamed.GetProperty("group").GetProperty("name").GetString());
        Assert.Empty(Names(removed.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Group not found"}"""), gone);
        Assert.Equal(2, (await world.AuditAsync("group.member_added")).Count);
    }

    [Fact]
    public async Task Unknown_names_get_422_naming_them_and_change_nothing()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.JsonAsync(HttpMethod.Post, "/v1/groups", admin, """{"group":{"name":"ops"}}""");

        var users = await world.TextAsync(HttpMethod.Post, "/v1/groups/ops/users", admin, """{"users":{"add":["admin","eve"],"remove":["zed"]}}""");
        var roles = await world.TextAsync(HttpMethod.Post, "/v1/groups/ops/roles", admin, """{"roles":{"grant":["nope"]}}""");
        var (_, group) = await world.JsonAsync(HttpMethod.Get, "/v1/groups/ops", admin);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"not_found":{"users":["eve","zed"]}}}"""), users);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"not_found":{"roles":["nope"]}}}"""), roles);
        Assert.Empty(Names(group.GetProperty("group").GetProperty("members").GetProperty("users"), "username"));
    }

    [Fact]
    public async Task The_admin_group_is_protected()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group must have at least one member"}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/groups/cog-admin/users", admin, """{"users":{"remove":["admin"]}}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin role cannot be revoked from the cog-admin group"}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/groups/cog-admin/roles", admin, """{"roles":{"revoke":["cog-admin"]}}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group cannot be renamed"}"""),
            await world.TextAsync(HttpMethod.Put, "/v1/groups/cog-admin", admin, """{"group":{"name":"root"}}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group cannot be deleted"}"""),
            await world.TextAsync(HttpMethod.Delete, "/v1/groups/cog-admin", admin));
    }

    [Fact]
    public async Task Groups_need_manage_groups_and_a_denial_is_audited_with_the_permission()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob", "pw");
        var bob = await world.TokenAsync("bob", "pw");

        var answer = await world.TextAsync(HttpMethod.Post, "/v1/groups", bob, """{"group":{"name":"mine"}}""");

        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), answer);
        var denial = Assert.Single(await world.AuditAsync("api.denied"));
        Assert.Equal(("bob", "POST /v1/groups", "denied"), (denial.Actor, denial.Command, denial.Outcome));
        Assert.Equal("""{"method":"POST","path":"/v1/groups","permission":"operable:manage_groups"}""", denial.PayloadJson);
    }

    [Fact]
    public async Task A_taken_or_blank_group_name_gets_a_field_error()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["has already been taken"]}}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/groups", admin, """{"group":{"name":"cog-admin"}}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["can't be blank"]}}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/groups", admin, """{"group":{}}"""));
    }
}
