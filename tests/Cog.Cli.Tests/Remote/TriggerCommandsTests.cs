using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class TriggerCommandsTests
{
    const string Trigger = """{"id":"t1","name":"deploy","pipeline":"echo hi","description":null,"as_user":null,"timeout_sec":60,"enabled":false,"allow_cross_origin":false,"invocation_url":"http://cog:4001/v1/triggers/t1"}""";

    [Fact]
    public async Task Trigger_create_sends_the_original_defaults()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/triggers", 201, $$"""{"trigger":{{Trigger}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("trigger", "create", "deploy", "echo hi");

        Assert.Equal((0, "Name      deploy\nPipeline  echo hi\nEnabled   False\n"), (result.ExitCode, result.Output));
        Assert.Equal("""{"trigger":{"name":"deploy","pipeline":"echo hi","enabled":false,"timeout_sec":60}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Trigger_info_shows_the_details_the_original_showed()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/triggers/deploy", 200, $$"""{"trigger":{{Trigger}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("trigger", "info", "deploy");

        Assert.Equal("Name                deploy\nPipeline            echo hi\nEnabled             False\nAs User             None\nTimeout Sec         60\n"
            + "Allow Cross Origin  False\nInvocation Url      http://cog:4001/v1/triggers/t1\n", result.Output);
    }

    [Fact]
    public async Task Trigger_update_sends_the_changed_fields_and_rejects_enable_with_disable()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("PUT", "/v1/triggers/deploy", 200, $$"""{"trigger":{{Trigger}}}""");
        using var cli = TestCli.ForServer(server);

        var both = await cli.RunAsync("trigger", "update", "deploy", "--enable", "--disable");
        var update = await cli.RunAsync("trigger", "update", "deploy", "--enable", "--timeout", "30", "--as-user", "bot");

        Assert.Equal((2, "Error: Trigger cannot be both enabled and disabled\n"), (both.ExitCode, both.Error));
        Assert.Equal(0, update.ExitCode);
        Assert.Equal("""{"trigger":{"enabled":true,"as_user":"bot","timeout_sec":30}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Allow_cross_origin_is_sent_by_create_and_update_and_shown_by_info()
    {
        await using var server = await FakeCogServer.StartAsync();
        const string Open = """{"id":"t1","name":"deploy","pipeline":"echo hi","description":null,"as_user":null,"timeout_sec":60,"enabled":true,"allow_cross_origin":true,"invocation_url":"http://cog:4001/v1/triggers/t1"}""";
        server.Answer("POST", "/v1/triggers", 201, $$"""{"trigger":{{Open}}}""");
        server.Answer("PUT", "/v1/triggers/deploy", 200, $$"""{"trigger":{{Open}}}""");
        server.Answer("GET", "/v1/triggers/deploy", 200, $$"""{"trigger":{{Open}}}""");
        using var cli = TestCli.ForServer(server);

        var create = await cli.RunAsync("trigger", "create", "deploy", "echo hi", "--allow-cross-origin");
        var allow = await cli.RunAsync("trigger", "update", "deploy", "--allow-cross-origin");
        var refuse = await cli.RunAsync("trigger", "update", "deploy", "--allow-cross-origin", "false");
        var info = await cli.RunAsync("trigger", "info", "deploy");

        Assert.Equal((0, 0, 0), (create.ExitCode, allow.ExitCode, refuse.ExitCode));
        Assert.Equal(
            [
                """{"trigger":{"name":"deploy","pipeline":"echo hi","enabled":false,"timeout_sec":60,"allow_cross_origin":true}}""",
                """{"trigger":{"allow_cross_origin":true}}""",
                """{"trigger":{"allow_cross_origin":false}}""",
                "",
            ], server.Requests.Select(r => r.Body));
        Assert.Contains("\nAllow Cross Origin  True\n", info.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trigger_delete_with_force_does_not_ask()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("DELETE", "/v1/triggers/deploy", 204);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("trigger", "delete", "deploy", "--force");

        Assert.Equal((0, "Trigger \"deploy\" deleted\n"), (result.ExitCode, result.Output));
    }
}
