using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Api;

/// <summary>How every remote command talks to the server: login, token header, errors and exit codes.</summary>
public class ApiClientTests
{
    const string Users = """{"users":[{"id":"u1","username":"admin","first_name":"Cog","last_name":"Administrator","email_address":"cog@localhost"}]}""";

    [Fact]
    public async Task Commands_log_in_once_and_send_the_token_on_every_request()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/groups/ops/roles", 200, "{}")
            .Answer("GET", "/v1/groups/ops", 200, """{"group":{"id":"g1","name":"ops","members":{"users":[],"roles":[{"id":"r1","name":"deployer"}]}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("group", "grant", "ops", "deployer");

        Assert.Equal(0, result.ExitCode);
        var login = Assert.Single(server.AllRequests, r => r.PathAndQuery == "/v1/token");
        Assert.Equal("""{"username":"admin","password":"s3cret"}""", login.Body);
        Assert.Null(login.Authorization);
        Assert.All(server.Requests, r => Assert.Equal("token " + FakeCogServer.Token, r.Authorization));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Bad_credentials_exit_with_5_and_the_servers_message()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/token", 403, """{"errors":"Invalid credentials"}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("user");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("Error: Invalid credentials\n", result.Error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task An_expired_token_exits_with_5()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users", 401, """{"error":"token expired"}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("user");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("Error: token expired\n", result.Error);
    }

    [Fact]
    public async Task An_unknown_token_with_an_empty_401_body_exits_with_5()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users", 401);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("user");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("Error: not authenticated: the server did not accept the token\n", result.Error);
    }

    [Theory]
    [InlineData(403, """{"error":"Not authorized."}""", "Not authorized.")]
    [InlineData(404, """{"errors":"User bob not found"}""", "User bob not found")]
    [InlineData(422, """{"errors":{"name":["has already been taken"],"email_address":["is invalid","is taken"]}}""", "name: has already been taken; email_address: is invalid, is taken")]
    [InlineData(502, "<html>bad gateway</html>", "the server answered 502 Bad Gateway")]
    public async Task Refusals_print_the_servers_message_and_exit_with_3(int status, string body, string message)
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users/bob", status, body);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("user", "info", "bob");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"Error: {message}\n", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_exits_with_4()
    {
        using var cli = new TestCli();

        var result = await cli.RunAsync("--url", "http://127.0.0.1:1", "--user", "a", "--password", "b", "user");

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("Error: cannot connect to http://127.0.0.1:1: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_traces_requests_without_credentials()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users", 200, Users);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("-v", "user");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"POST {server.Url}/v1/token -> 201\nGET {server.Url}/v1/users -> 200\n", result.Error);
        Assert.DoesNotContain(FakeCogServer.Token, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Error, StringComparison.Ordinal);
    }
}
