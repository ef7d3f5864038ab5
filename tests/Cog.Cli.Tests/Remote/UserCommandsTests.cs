using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class UserCommandsTests
{
    const string Bob = """{"id":"u2","username":"bob","first_name":"Bob","last_name":"Smith","email_address":"bob@example.com","groups":[{"id":"g1","name":"ops"},{"id":"g2","name":"dev"}]}""";
    const string BobTable = "ID          u2\nUsername    bob\nEmail       bob@example.com\nFirst Name  Bob\nLast Name   Smith\nGroups      ops, dev\n";

    [Fact]
    public async Task User_without_subcommand_lists_users_in_aligned_columns()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users", 200, $$"""{"users":[{"id":"u1","username":"admin","first_name":"Cog","last_name":"Administrator","email_address":"cog@localhost"},{{Bob}},{"id":"u3","username":"eve","first_name":null,"last_name":null,"email_address":"eve@x"}]}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("user");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "USERNAME  FULL NAME          EMAIL ADDRESS\n" +
            "admin     Cog Administrator  cog@localhost\n" +
            "bob       Bob Smith          bob@example.com\n" +
            "eve                          eve@x\n", result.Output);
        Assert.Equal("GET /v1/users", $"{server.Requests[0].Method} {server.Requests[0].PathAndQuery}");
    }

    [Fact]
    public async Task User_info_prints_the_detail_table_or_the_envelope_content_with_json()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users/bob", 200, $$"""{"user":{{Bob}}}""");
        using var cli = TestCli.ForServer(server);

        var text = await cli.RunAsync("user", "info", "bob");
        var json = await cli.RunAsync("user", "info", "bob", "--json");

        Assert.Equal(BobTable, text.Output);
        Assert.Equal(Bob + "\n", json.Output);
    }

    [Fact]
    public async Task User_create_reads_the_password_from_standard_input_without_a_terminal()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/users", 201, $$"""{"user":{{Bob}}}""");
        using var cli = TestCli.ForServer(server);
        cli.Stdin = "pa55word\n";

        var result = await cli.RunAsync("user", "create", "bob", "--email", "bob@example.com", "--first-name", "Bob", "--last-name", "Smith");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/users"), (request.Method, request.PathAndQuery));
        Assert.Equal("""{"user":{"username":"bob","email_address":"bob@example.com","password":"pa55word","first_name":"Bob","last_name":"Smith"}}""", request.Body);
        Assert.Equal(BobTable, result.Output);
        Assert.DoesNotContain("pa55word", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_create_prompts_twice_for_the_password_on_a_terminal()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/users", 201, $$"""{"user":{{Bob}}}""");
        using var cli = TestCli.ForServer(server);
        cli.Interactive = true;
        cli.Stdin = "bob@example.com\n";
        cli.Secrets.Enqueue("typed");
        cli.Secrets.Enqueue("typed");

        var result = await cli.RunAsync("user", "create", "bob");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Email: Password: Repeat for confirmation: ", result.Error);
        Assert.Equal("""{"user":{"username":"bob","email_address":"bob@example.com","password":"typed"}}""", server.Requests[0].Body);
    }

    [Fact]
    public async Task User_create_refuses_different_passwords()
    {
        await using var server = await FakeCogServer.StartAsync();
        using var cli = TestCli.ForServer(server);
        cli.Interactive = true;
        cli.Secrets.Enqueue("one");
        cli.Secrets.Enqueue("two");

        var result = await cli.RunAsync("user", "create", "bob", "--email", "b@x");

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("Error: the two entered values do not match\n", result.Error, StringComparison.Ordinal);
        Assert.Empty(server.AllRequests);
    }

    [Fact]
    public async Task User_update_sends_only_the_given_fields_and_needs_one()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("PUT", "/v1/users/bob", 200, $$"""{"user":{{Bob}}}""");
        using var cli = TestCli.ForServer(server);

        var none = await cli.RunAsync("user", "update", "bob");
        var some = await cli.RunAsync("user", "update", "bob", "--last-name", "Smith", "--email", "bob@example.com");

        Assert.Equal((2, "Error: You must specify a field to update.\n"), (none.ExitCode, none.Error));
        Assert.Equal(0, some.ExitCode);
        Assert.Equal("""{"user":{"last_name":"Smith","email_address":"bob@example.com"}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task User_delete_without_a_terminal_refuses_unless_yes()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users/bob", 200, $$"""{"user":{{Bob}}}""").Answer("DELETE", "/v1/users/bob", 204);
        using var cli = TestCli.ForServer(server);

        var refused = await cli.RunAsync("user", "delete", "bob");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("Error: this command asks for confirmation and there is no terminal to ask on; give --yes to go ahead\n", refused.Error);
        Assert.Empty(server.AllRequests);

        var deleted = await cli.RunAsync("user", "delete", "bob", "--yes");
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(["GET /v1/users/bob", "DELETE /v1/users/bob"], server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.Equal(BobTable, deleted.Output);
    }

    [Theory]
    [InlineData("y\n", 0)]
    [InlineData("n\n", 1)]
    public async Task User_delete_asks_on_a_terminal(string answer, int exitCode)
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users/bob", 200, $$"""{"user":{{Bob}}}""").Answer("DELETE", "/v1/users/bob", 204);
        using var cli = TestCli.ForServer(server);
        cli.Interactive = true;
        cli.Stdin = answer;

        var result = await cli.RunAsync("user", "delete", "bob");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("Are you sure? [y/N]: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(exitCode == 0, server.Requests.Any(r => r.Method == "DELETE"));
        if (exitCode != 0)
        {
            Assert.EndsWith("Error: Aborted!\n", result.Error, StringComparison.Ordinal);
        }
    }
}
