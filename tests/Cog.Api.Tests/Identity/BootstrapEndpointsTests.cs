using System.Net;

namespace Cog.Api.Tests.Identity;

public class BootstrapEndpointsTests
{
    [Fact]
    public async Task Bootstrap_once_with_defaults_then_the_status_says_so_and_a_second_time_is_locked()
    {
        await using var world = await ApiWorld.StartAsync();

        var before = await world.TextAsync(HttpMethod.Get, "/v1/bootstrap");
        var (status, body) = await world.JsonAsync(HttpMethod.Post, "/v1/bootstrap");
        var after = await world.TextAsync(HttpMethod.Get, "/v1/bootstrap");
        var again = await world.TextAsync(HttpMethod.Post, "/v1/bootstrap", json: """{"user":{"username":"eve"}}""");

        Assert.Equal((HttpStatusCode.OK, """{"bootstrap":{"bootstrap_status":false}}"""), before);
        Assert.Equal(HttpStatusCode.OK, status);
        var bootstrap = body.GetProperty("bootstrap");
        Assert.Equal("admin", bootstrap.GetProperty("username").GetString());
        var password = bootstrap.GetProperty("password").GetString()!;
        Assert.Equal(32, password.Length);
        Assert.Equal((HttpStatusCode.OK, """{"bootstrap":{"bootstrap_status":true}}"""), after);
        Assert.Equal(((HttpStatusCode)423, """{"errors":{"bootstrap":"Already bootstrapped"}}"""), again);
        Assert.NotEmpty(await world.TokenAsync("admin", password));
    }

    [Fact]
    public async Task Invalid_user_fields_get_422_field_errors()
    {
        await using var world = await ApiWorld.StartAsync();

        var answer = await world.TextAsync(HttpMethod.Post, "/v1/bootstrap", json: """{"user":{"username":"two words","email_address":5}}""");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"email_address":["is invalid"]}}"""), answer);
        var second = await world.TextAsync(HttpMethod.Post, "/v1/bootstrap", json: """{"user":{"username":"two words"}}""");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"username":["may contain only letters, digits, '-', '_', '.', '@' and '+', and must start with a letter or digit"]}}"""), second);
        Assert.Equal("""{"bootstrap":{"bootstrap_status":false}}""", (await world.TextAsync(HttpMethod.Get, "/v1/bootstrap")).Body);
    }
}
