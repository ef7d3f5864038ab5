using System.Net;

namespace Cog.Api.Tests.Identity;

public class TokenEndpointsTests
{
    [Fact]
    public async Task A_token_from_username_or_email_authenticates_later_requests()
    {
        await using var world = await ApiWorld.StartAsync();
        await world.AdminTokenAsync();

        var (status, body) = await world.JsonAsync(HttpMethod.Post, "/v1/token", json: """{"email":"admin@example.com","password":"secret"}""");
        var token = body.GetProperty("token").GetProperty("value").GetString();
        var (meStatus, me) = await world.JsonAsync(HttpMethod.Get, "/v1/users/me", token);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal("admin", me.GetProperty("user").GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_form_encoded_request_gets_a_token_too()
    {
        await using var world = await ApiWorld.StartAsync();
        await world.AdminTokenAsync();

        using var response = await world.Http.PostAsync("/v1/token",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = "secret" }), ApiWorld.Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"username":"admin","password":"wrong"}""")]
    [InlineData("""{"username":"nobody","password":"secret"}""")]
    [InlineData("""{"email":"nobody@example.com","password":"secret"}""")]
    public async Task Invalid_credentials_get_403_with_one_message(string json)
    {
        await using var world = await ApiWorld.StartAsync();
        await world.AdminTokenAsync();

        var (status, text) = await world.TextAsync(HttpMethod.Post, "/v1/token", json: json);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"errors":"Invalid credentials"}""", text);
    }

    [Theory]
    [InlineData("""{"username":"admin"}""")]
    [InlineData("""{"password":"secret"}""")]
    [InlineData("{}")]
    public async Task Missing_credentials_get_401(string json)
    {
        await using var world = await ApiWorld.StartAsync();

        var (status, text) = await world.TextAsync(HttpMethod.Post, "/v1/token", json: json);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""{"errors":"Give a username or an email address, and a password."}""", text);
    }

    [Fact]
    public async Task An_expired_token_gets_401_token_expired_and_an_unknown_one_an_empty_401()
    {
        await using var world = await ApiWorld.StartAsync();
        var token = await world.AdminTokenAsync();
        world.Time.Advance(TimeSpan.FromDays(7));

        var expired = await world.TextAsync(HttpMethod.Get, "/v1/users", token);
        var unknown = await world.TextAsync(HttpMethod.Get, "/v1/users", "not-a-token");
        var none = await world.TextAsync(HttpMethod.Get, "/v1/users");

        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"token expired"}"""), expired);
        Assert.Equal((HttpStatusCode.Unauthorized, ""), unknown);
        Assert.Equal((HttpStatusCode.Unauthorized, ""), none);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_400_saying_where()
    {
        await using var world = await ApiWorld.StartAsync();

        var (status, body) = await world.JsonAsync(HttpMethod.Post, "/v1/token", json: "{\"username\": ");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The request body is not valid JSON at line 1", body.GetProperty("errors").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_guessing_is_answered_429_with_retry_after_and_every_failure_is_audited_without_the_password()
    {
        await using var world = await ApiWorld.StartAsync();
        await world.AdminTokenAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await world.TextAsync(HttpMethod.Post, "/v1/token", json: $$"""{"username":"admin","password":"guess-{{i}}"}""")).Status);

        using var locked = await world.Http.PostAsync("/v1/token",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = "secret" }), ApiWorld.Ct);
        var lockedBody = await locked.Content.ReadAsStringAsync(ApiWorld.Ct);
        world.Time.Advance(TimeSpan.FromMinutes(5));
        var (afterStatus, _) = await world.TextAsync(HttpMethod.Post, "/v1/token", json: """{"username":"admin","password":"secret"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("300", locked.Headers.RetryAfter?.ToString());
        Assert.Equal("""{"errors":"Too many sign-in attempts. Try again in 300 seconds."}""", lockedBody);
        Assert.Equal(HttpStatusCode.Created, afterStatus);
        var failed = await world.Store.Audit.ListAsync(new Cog.Runtime.Audit.AuditQuery(Kind: "auth.failed", Limit: 100), ApiWorld.Ct);
        Assert.Equal(6, failed.Count);
        Assert.Contains("\"reason\":\"locked_out\"", failed[^1].PayloadJson, StringComparison.Ordinal);
        Assert.All(failed, record => Assert.DoesNotContain("guess-", record.PayloadJson, StringComparison.Ordinal));
        Assert.All(failed, record => Assert.DoesNotContain("secret", record.PayloadJson, StringComparison.Ordinal));
    }
}
