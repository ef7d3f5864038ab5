using System.Net;
using System.Text.Json;

namespace Cog.Api.Tests.Identity;

public class UserEndpointsTests
{
    [Fact]
    public async Task Users_are_created_listed_shown_updated_and_deleted_without_ever_showing_a_password()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var (createStatus, created) = await world.JsonAsync(HttpMethod.Post, "/v1/users", admin, """{"user":{"username":"bob","password":"hunter2","email_address":"bob@example.com","first_name":"Bob"}}""");
        var id = created.GetProperty("user").GetProperty("id").GetString();
        var (_, list) = await world.JsonAsync(HttpMethod.Get, "/v1/users", admin);
        var (_, byName) = await world.JsonAsync(HttpMethod.Get, "/v1/users?username=bob", admin);
        var (putStatus, put) = await world.JsonAsync(HttpMethod.Put, "/v1/users/bob", admin, """{"user":{"last_name":"Builder"}}""");
        var (patchStatus, _) = await world.JsonAsync(HttpMethod.Patch, $"/v1/users/{id}", admin, """{"user":{"password":"new-password"}}""");
        var login = await world.TokenAsync("bob", "new-password");
        var (deleteStatus, _) = await world.TextAsync(HttpMethod.Delete, "/v1/users/bob", admin);
        var gone = await world.TextAsync(HttpMethod.Get, "/v1/users/bob", admin);

        Assert.Equal(HttpStatusCode.Created, createStatus);
        Assert.Equal(JsonSerializer.Serialize(new
        {
            id, username = "bob", first_name = "Bob", last_name = (string?)null, email_address = "bob@example.com",
            groups = Array.Empty<object>(), chat_handles = Array.Empty<object>(),
        }), created.GetProperty("user").GetRawText());
        Assert.Equal(["admin", "bob"], list.GetProperty("users").EnumerateArray().Select(static u => u.GetProperty("username").GetString()));
        Assert.Equal(["cog-admin"], list.GetProperty("users")[0].GetProperty("groups").EnumerateArray().Select(static g => g.GetProperty("name").GetString()));
        Assert.Equal(id, byName.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal((HttpStatusCode.OK, "Builder", "Bob"), (putStatus, put.GetProperty("user").GetProperty("last_name").GetString(),
            put.GetProperty("user").GetProperty("first_name").GetString()));
        Assert.Equal(HttpStatusCode.OK, patchStatus);
        Assert.NotEmpty(login);
        Assert.Equal(HttpStatusCode.NoContent, deleteStatus);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"User not found"}"""), gone);
        Assert.DoesNotContain("password", list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(["admin"], (await world.AuditAsync("user.created")).Select(static r => r.Actor));
    }

    [Fact]
    public async Task A_user_reads_their_own_permissions()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.JsonAsync(HttpMethod.Post, "/v1/users", admin, """{"user":{"username":"bob","password":"hunter2","email_address":"bob@example.com"}}""");
        var bob = await world.TokenAsync("bob", "hunter2");

        var (adminStatus, adminPermissions) = await world.JsonAsync(HttpMethod.Get, "/v1/users/me/permissions", admin);
        var (bobStatus, bobPermissions) = await world.JsonAsync(HttpMethod.Get, "/v1/users/me/permissions", bob);

        Assert.Equal(HttpStatusCode.OK, adminStatus);
        var names = adminPermissions.GetProperty("permissions").EnumerateArray().Select(static p => p.GetString()).ToList();
        Assert.Contains("operable:view_audit", names);
        Assert.Contains("operable:manage_relays", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal((HttpStatusCode.OK, "[]"), (bobStatus, bobPermissions.GetProperty("permissions").GetRawText()));
    }

    [Fact]
    public async Task Invalid_fields_get_422_with_cog_field_messages()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var blank = await world.TextAsync(HttpMethod.Post, "/v1/users", admin, """{"user":{"username":""}}""");
        var taken = await world.TextAsync(HttpMethod.Post, "/v1/users", admin, """{"user":{"username":"admin","password":"x","email_address":"other@example.com"}}""");
        var noEnvelope = await world.TextAsync(HttpMethod.Post, "/v1/users", admin, """{"username":"x"}""");

        Assert.Equal((HttpStatusCode.UnprocessableEntity,
            """{"errors":{"username":["can't be blank"],"email_address":["can't be blank"],"password":["can't be blank"]}}"""), blank);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"username":["has already been taken"]}}"""), taken);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The request body must be a JSON object with a \"user\" member."}"""), noEnvelope);
    }

    [Fact]
    public async Task A_user_without_manage_users_may_show_and_update_only_themselves_and_denials_are_audited()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob", "pw");
        var bob = await world.TokenAsync("bob", "pw");

        var me = await world.JsonAsync(HttpMethod.Get, "/v1/users/me", bob);
        var self = await world.JsonAsync(HttpMethod.Put, "/v1/users/bob", bob, """{"user":{"first_name":"Robert"}}""");
        var other = await world.TextAsync(HttpMethod.Get, "/v1/users/admin", bob);
        var list = await world.TextAsync(HttpMethod.Get, "/v1/users", bob);

        Assert.Equal((HttpStatusCode.OK, "bob"), (me.Status, me.Body.GetProperty("user").GetProperty("username").GetString()));
        Assert.Equal((HttpStatusCode.OK, "Robert"), (self.Status, self.Body.GetProperty("user").GetProperty("first_name").GetString()));
        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), other);
        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), list);
        var denials = await world.AuditAsync("api.denied");
        Assert.Equal(["GET /v1/users/admin", "GET /v1/users"], denials.Select(static r => r.Command));
        Assert.All(denials, static r => Assert.Equal(("bob", "denied"), (r.Actor, r.Outcome)));
        Assert.All(denials, static r => Assert.Contains("\"permission\":\"operable:manage_users\"", r.PayloadJson, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_deleted()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var answer = await world.TextAsync(HttpMethod.Delete, "/v1/users/me", admin);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"The cog-admin group must have at least one member"}"""), answer);
    }

    [Fact]
    public async Task Unknown_users_get_404()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"User not found"}"""), await world.TextAsync(HttpMethod.Get, "/v1/users?username=nobody", admin));
        Assert.Equal(HttpStatusCode.NotFound, (await world.TextAsync(HttpMethod.Put, "/v1/users/nobody", admin, """{"user":{}}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.TextAsync(HttpMethod.Delete, "/v1/users/nobody", admin)).Status);
    }
}
