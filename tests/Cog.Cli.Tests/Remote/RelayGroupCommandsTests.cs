using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class RelayGroupCommandsTests
{
    const string Group = """{"id":"rg1","name":"prod","inserted_at":"2026-01-02T03:04:05Z","relays":[{"id":"r2","name":"zulu"},{"id":"r1","name":"alpha"}],"bundles":[{"id":"b1","name":"foo"}]}""";

    [Fact]
    public async Task Remove_all_warns_and_posts_every_member_id()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relay_groups/prod", 200, $$"""{"relay_group":{{Group}}}""")
            .Answer("POST", "/v1/relay_groups/rg1/relays", 200, """{"relay_group":{"id":"rg1","name":"prod","relays":[]}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("relay-group", "remove", "prod", "--all");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Removing ALL relays from group 'prod': alpha, zulu\n", result.Error);
        Assert.Equal("Relay group 'prod' has no relay members.\n", result.Output);
        Assert.Equal("""{"relays":{"remove":["r2","r1"]}}""", server.Requests[1].Body);
    }

    [Theory]
    [InlineData(new[] { "relay-group", "remove", "prod" }, "You must provide either relay names, or specify the '--all' option")]
    [InlineData(new[] { "relay-group", "remove", "prod", "alpha", "--all" }, "You cannot provide both relay names and the '--all' option")]
    [InlineData(new[] { "relay-group", "unassign", "prod", "bar" }, "The following bundles are not assigned to the group 'prod': bar")]
    public async Task Removal_needs_names_in_the_group_or_all(string[] args, string message)
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relay_groups/prod", 200, $$"""{"relay_group":{{Group}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync(args);

        Assert.Equal((2, $"Error: {message}\n"), (result.ExitCode, result.Error));
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Assign_looks_bundles_up_by_name_and_reports_the_assigned_bundles()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, """{"bundle":{"id":"b1","name":"foo"}}""")
            .Answer("POST", "/v1/relay_groups/prod/bundles", 200, $$"""{"relay_group":{{Group}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("relay-group", "assign", "prod", "foo");

        Assert.Equal((0, "Relay group 'prod' has the following assigned bundles: foo\n"), (result.ExitCode, result.Output));
        Assert.Equal("""{"bundles":{"add":["b1"]}}""", server.Requests[1].Body);
    }

    [Fact]
    public async Task Info_shows_the_group_its_relays_and_its_bundles()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relay_groups/prod", 200, $$"""{"relay_group":{{Group}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("relay-group", "info", "prod");

        Assert.Equal(
            "Name           prod\nID             rg1\nCreation Time  2026-01-02T03:04:05Z\n\nRelays\nNAME   ID\nalpha  r1\nzulu   r2\n\nBundles\nNAME  ID\nfoo   b1\n",
            result.Output);
    }
}
