using System.Net;

namespace Cog.Api.Tests.Identity;

public class ChatHandleEndpointsTests
{
    [Fact]
    public async Task A_handle_is_attached_through_its_provider_listed_and_deleted()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        var bob = await world.CreateUserAsync(admin, "bob");
        var bobId = bob.GetProperty("id").GetString();

        var (status, created) = await world.JsonAsync(HttpMethod.Post, "/v1/users/bob/chat_handles", admin, """{"chat_handle":{"chat_provider":"slack","handle":"bob"}}""");
        var handle = created.GetProperty("chat_handle");
        var id = handle.GetProperty("id").GetString();
        var all = await world.JsonAsync(HttpMethod.Get, "/v1/chat_handles", admin);
        var own = await world.JsonAsync(HttpMethod.Get, $"/v1/users/{bobId}/chat_handles", admin);
        var user = await world.JsonAsync(HttpMethod.Get, "/v1/users/bob", admin);
        var deleted = await world.TextAsync(HttpMethod.Delete, $"/v1/chat_handles/{id}", admin);
        var again = await world.TextAsync(HttpMethod.Delete, $"/v1/chat_handles/{id}", admin);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal($$"""{"id":"{{id}}","handle":"bob","chat_provider":{"name":"slack"},"user":{"id":"{{bobId}}","username":"bob"},"chat_provider_user_id":"U0BOB"}""",
            handle.GetRawText());
        Assert.Equal([id], all.Body.GetProperty("chat_handles").EnumerateArray().Select(static h => h.GetProperty("id").GetString()));
        Assert.Equal([id], own.Body.GetProperty("chat_handles").EnumerateArray().Select(static h => h.GetProperty("id").GetString()));
        Assert.Equal(1, user.Body.GetProperty("user").GetProperty("chat_handles").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Chat handle not found"}"""), again);
    }

    [Theory]
    [InlineData("""{"chat_handle":{"chat_provider":"irc","handle":"bob"}}""", """{"errors":"Unknown chat provider 'irc'"}""")]
    [InlineData("""{"chat_handle":{"chat_provider":"slack","handle":"zed"}}""", """{"errors":"User with handle 'zed' not found"}""")]
    [InlineData("""{"chat_handle":{"chat_provider":"slack"}}""", """{"errors":{"handle":["can't be blank"]}}""")]
    public async Task Unknown_providers_and_handles_get_422(string json, string expected)
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.CreateUserAsync(admin, "bob");

        var answer = await world.TextAsync(HttpMethod.Post, "/v1/users/bob/chat_handles", admin, json);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, expected), answer);
    }

    [Fact]
    public async Task An_explicit_provider_user_id_is_kept_and_the_web_provider_is_always_known()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var slack = await world.JsonAsync(HttpMethod.Post, "/v1/users/me/chat_handles", admin, """{"chat_handle":{"chat_provider":"slack","handle":"ada","chat_provider_user_id":"U0ADA"}}""");
        var web = await world.JsonAsync(HttpMethod.Post, "/v1/users/me/chat_handles", admin, """{"chat_handle":{"chat_provider":"web","handle":"ada"}}""");

        Assert.Equal("U0ADA", slack.Body.GetProperty("chat_handle").GetProperty("chat_provider_user_id").GetString());
        Assert.Equal("ada", web.Body.GetProperty("chat_handle").GetProperty("chat_provider_user_id").GetString());
    }
}
