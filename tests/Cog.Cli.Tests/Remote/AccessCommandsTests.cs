using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

/// <summary>Groups, roles, permissions, rules and chat handles: the requests they send and what they print.</summary>
public class AccessCommandsTests
{
    [Fact]
    public async Task Group_add_posts_usernames_and_prints_the_group()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/groups/ops/users", 200, """{"group":{"id":"g1","name":"ops","members":{"users":[{"username":"bob"},{"username":"eve"}],"roles":[{"name":"deployer"}]}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("group", "add", "ops", "bob", "eve", "bob");

        Assert.Equal((0, "ID     g1\nName   ops\nUsers  bob, eve\nRoles  deployer\n"), (result.ExitCode, result.Output));
        Assert.Equal("""{"users":{"add":["bob","eve"]}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Group_revoke_asks_first_and_uses_the_reference_body()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/groups/ops/roles", 200, """{"group":{"id":"g1","name":"ops","roles":[]}}""");
        using var cli = TestCli.ForServer(server);

        var refused = await cli.RunAsync("group", "revoke", "ops", "deployer");
        var revoked = await cli.RunAsync("group", "revoke", "ops", "deployer", "-y");

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal("""{"roles":{"revoke":["deployer"]}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Role_grant_names_a_bare_permission_in_the_site_namespace()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/roles/deployer/permissions", 200, """{"permissions":[]}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("role", "grant", "deployer", "deploy");

        Assert.Equal((0, ""), (result.ExitCode, result.Output));
        Assert.Equal("""{"permissions":{"grant":["site:deploy"]}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Role_info_lists_permissions_and_groups()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/roles/deployer", 200, """{"role":{"id":"r1","name":"deployer","permissions":[{"id":"p1","name":"deploy","bundle":"site"},{"id":"p2","name":"read","bundle":"s3"}],"groups":[{"id":"g1","name":"ops"}]}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("role", "info", "deployer");

        Assert.Equal("Name         deployer\nID           r1\nPermissions  site:deploy, s3:read\nGroups       ops\n", result.Output);
    }

    [Theory]
    [InlineData("s3:deploy", "Permissions must be created in the \"site\" bundle (e.g. site:deploy)")]
    [InlineData("a:b:c", "Invalid permission name \"a:b:c\"")]
    public async Task Permission_create_only_makes_site_permissions(string name, string message)
    {
        await using var server = await FakeCogServer.StartAsync();
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("permission", "create", name);

        Assert.Equal((2, $"Error: {message}\n"), (result.ExitCode, result.Error));
        Assert.Empty(server.AllRequests);
    }

    [Fact]
    public async Task Permission_create_and_list()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/permissions", 201, """{"permission":{"id":"p1","name":"deploy","bundle":"site"}}""")
            .Answer("GET", "/v1/permissions", 200, """{"permissions":[{"id":"p1","name":"deploy","bundle":"site"},{"id":"p0","name":"manage_users","bundle":"operable"}]}""");
        using var cli = TestCli.ForServer(server);

        var created = await cli.RunAsync("permission", "create", "site:deploy");
        var list = await cli.RunAsync("permission");

        Assert.Equal("Name  site:deploy\nID    p1\n", created.Output);
        Assert.Equal("""{"permission":{"name":"site:deploy"}}""", server.Requests[0].Body);
        Assert.Equal("NAME                   ID\nsite:deploy            p1\noperable:manage_users  p0\n", list.Output);
    }

    [Theory]
    [InlineData(new[] { "s3:delete", "s3:admin" }, "when command is s3:delete must have s3:admin")]
    [InlineData(new[] { "when", "command", "is", "s3:ls", "allow" }, "when command is s3:ls allow")]
    public async Task Rule_create_joins_words_and_expands_the_shorthand(string[] words, string rule)
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/rules", 201, $$$"""{"id":"ru1","command_name":"s3:delete","rule":"{{{rule}}}"}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync(["rule", "create", .. words]);

        Assert.Equal((0, $"ID    ru1\nRule  {rule}\n"), (result.ExitCode, result.Output));
        Assert.Equal($$"""{"rule":"{{rule}}"}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Rule_list_asks_for_the_command()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/rules?for-command=s3%3Adelete", 200, """{"rules":[{"id":"ru1","command_name":"s3:delete","rule":"when command is s3:delete must have s3:admin"}]}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("rule", "list", "s3:delete");

        Assert.Equal("ID   RULE\nru1  when command is s3:delete must have s3:admin\n", result.Output);
    }

    [Fact]
    public async Task Chat_handle_delete_finds_the_users_handle_for_the_provider()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/users/bob/chat_handles", 200, """{"chat_handles":[{"id":"ch1","handle":"bobby","chat_provider":{"name":"slack"},"user":{"id":"u2","username":"bob"}}]}""")
            .Answer("DELETE", "/v1/chat_handles/ch1", 204);
        using var cli = TestCli.ForServer(server);

        var deleted = await cli.RunAsync("chat-handle", "delete", "bob", "slack");
        var missing = await cli.RunAsync("chat-handle", "delete", "bob", "hipchat");

        Assert.Equal(0, deleted.ExitCode);
        Assert.Single(server.Requests, r => r.Method == "DELETE");
        Assert.Equal((3, "Error: Chat Handle for User \"bob\" and Chat Provider \"hipchat\" was not found\n"), (missing.ExitCode, missing.Error));
    }

    [Fact]
    public async Task Chat_handle_create_and_list()
    {
        const string Handle = """{"id":"ch1","handle":"bobby","chat_provider":{"name":"slack"},"user":{"id":"u2","username":"bob"}}""";
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/users/bob/chat_handles", 201, $$"""{"chat_handle":{{Handle}}}""")
            .Answer("GET", "/v1/chat_handles", 200, $$"""{"chat_handles":[{{Handle}}]}""");
        using var cli = TestCli.ForServer(server);

        var created = await cli.RunAsync("chat-handle", "create", "bob", "slack", "bobby");
        var list = await cli.RunAsync("chat-handle");

        Assert.Equal("User           bob\nChat Provider  slack\nHandle         bobby\n", created.Output);
        Assert.Equal("""{"chat_handle":{"chat_provider":"slack","handle":"bobby"}}""", server.Requests[0].Body);
        Assert.Equal("USER  CHAT PROVIDER  HANDLE\nbob   slack          bobby\n", list.Output);
    }

    [Fact]
    public async Task Token_prints_a_fresh_token()
    {
        await using var server = await FakeCogServer.StartAsync();
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("token");

        Assert.Equal((0, FakeCogServer.Token + "\n"), (result.ExitCode, result.Output));
    }
}
