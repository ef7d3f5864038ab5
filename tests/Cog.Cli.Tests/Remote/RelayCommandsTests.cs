using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class RelayCommandsTests
{
    const string Relay = """{"id":"6f1c0e1e-0000-4000-8000-000000000001","name":"edge","description":null,"enabled":true,"groups":[{"id":"rg1","name":"prod"}]}""";

    [Fact]
    public async Task Relay_create_checks_the_groups_creates_the_relay_and_adds_it()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relay_groups/prod", 200, """{"relay_group":{"id":"rg1","name":"prod"}}""")
            .Answer("POST", "/v1/relays", 201, $$"""{"relay":{{Relay}}}""")
            .Answer("POST", "/v1/relay_groups/prod/relays", 200, """{"relay_group":{"id":"rg1","name":"prod"}}""")
            .Answer("GET", "/v1/relays/6f1c0e1e-0000-4000-8000-000000000001", 200, $$"""{"relay":{{Relay}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("relay", "create", "edge", "6F1C0E1E-0000-4000-8000-000000000001", "sekrit", "--enable", "-r", "prod");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Name         edge\nID           6f1c0e1e-0000-4000-8000-000000000001\nStatus       enabled\nDescription\nGroups       prod\n", result.Output);
        Assert.Equal("""{"relay":{"name":"edge","id":"6f1c0e1e-0000-4000-8000-000000000001","token":"sekrit","description":null,"enabled":true}}""", server.Requests[1].Body);
        Assert.Equal("""{"relays":{"add":["6f1c0e1e-0000-4000-8000-000000000001"]}}""", server.Requests[2].Body);
    }

    [Fact]
    public async Task Relay_lists_name_status_and_id_and_enable_is_silent()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relays", 200, $$"""{"relays":[{{Relay}},{"id":"r2","name":"backup","enabled":false,"groups":[]}]}""")
            .Answer("PUT", "/v1/relays/backup", 200, """{"relay":{"id":"r2","name":"backup","enabled":true}}""");
        using var cli = TestCli.ForServer(server);

        var list = await cli.RunAsync("relay");
        var enable = await cli.RunAsync("relay", "enable", "backup");

        Assert.Equal("NAME    STATUS    STATE    ID\nedge    enabled   offline  6f1c0e1e-0000-4000-8000-000000000001\nbackup  disabled  offline  r2\n", list.Output);
        Assert.Equal((0, ""), (enable.ExitCode, enable.Output));
        Assert.Equal("""{"relay":{"enabled":true}}""", server.Requests.Single(r => r.Method == "PUT").Body);
    }

    [Fact]
    public async Task Relay_info_lists_the_isolation_the_relay_reported_after_the_cog_1_fields()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relays/edge", 200, """
            {"relay":{"id":"r1","name":"edge","description":null,"enabled":true,"groups":[],"status":{"state":"online","isolation":[
              {"name":"bubblewrap","available":true,"detail":"/usr/bin/bwrap"},
              {"name":"separate-user","available":false,"detail":"the relay does not run as root"}]}}}
            """);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("relay", "info", "edge");

        Assert.Equal(
            "Name         edge\nID           r1\nStatus       enabled\nState        online\nLast Status\nDescription\nGroups\n"
            + "Isolation    bubblewrap: yes — /usr/bin/bwrap\n             separate-user: NO — the relay does not run as root\n",
            result.Output);
    }

    [Fact]
    public async Task Relay_info_lists_each_problem_of_the_relay_with_its_reason()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relays/edge", 200, """
            {"relay":{"id":"r1","name":"edge","description":null,"enabled":true,"groups":[],"status":{"state":"online","bundles":[],"problems":[
              {"kind":"digest_mismatch","bundle":"greeter","version":"1.0.0","message":"greeter 1.0.0: the relay holds digest sha256:aa, the server installed sha256:bb; nothing is routed to it"},
              {"kind":"not_announced","bundle":"deploy","version":"2.0.0","message":"deploy 2.0.0: assigned, but the relay does not announce it. The relay reports: the download failed"}]}}}
            """);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("relay", "info", "edge");

        Assert.Equal(
            "Name         edge\nID           r1\nStatus       enabled\nState        online, 2 problems\nLast Status\nDescription\nGroups\n"
            + "Problems     digest_mismatch: greeter 1.0.0: the relay holds digest sha256:aa, the server installed sha256:bb; nothing is routed to it\n"
            + "             not_announced: deploy 2.0.0: assigned, but the relay does not announce it. The relay reports: the download failed\n",
            result.Output);
    }

    [Fact]
    public async Task Relay_list_and_info_say_whether_each_relay_is_online_and_since_when()
    {
        await using var server = await FakeCogServer.StartAsync();
        const string Online = """{"id":"r1","name":"edge","enabled":true,"groups":[],"status":{"state":"online","status_at":"2026-05-01T12:00:00.123456+00:00","problems":[{"kind":"not_announced","message":"m"}]}}""";
        const string Offline = """{"id":"r2","name":"backup","enabled":true,"groups":[]}""";
        server.Answer("GET", "/v1/relays", 200, $$"""{"relays":[{{Online}},{{Offline}}]}""")
            .Answer("GET", "/v1/relays/edge", 200, $$"""{"relay":{{Online}}}""")
            .Answer("GET", "/v1/relays/backup", 200, $$"""{"relay":{{Offline}}}""");
        using var cli = TestCli.ForServer(server);

        var list = await cli.RunAsync("relay", "list");
        var online = await cli.RunAsync("relay", "info", "edge");
        var offline = await cli.RunAsync("relay", "info", "backup");

        Assert.Equal("NAME    STATUS   STATE              ID\nedge    enabled  online, 1 problem  r1\nbackup  enabled  offline            r2\n", list.Output);
        Assert.Contains("State        online, 1 problem\nLast Status  2026-05-01T12:00:00Z\n", online.Output, StringComparison.Ordinal);
        Assert.Contains("State        offline\nLast Status\n", offline.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_fit_the_terminal_and_keep_every_cell_whole_when_not_printed_to_one()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relays", 200, $$"""{"relays":[{{Relay}},{"id":"r2","name":"backup","enabled":false,"groups":[]}]}""");
        using var cli = TestCli.ForServer(server);

        var piped = await cli.RunAsync("relay", "list");
        cli.TerminalWidth = 40;
        var terminal = await cli.RunAsync("relay", "list");

        Assert.Contains("6f1c0e1e-0000-4000-8000-000000000001\n", piped.Output, StringComparison.Ordinal);
        Assert.Equal("""
            NAME    STATUS    STATE    ID
            edge    enabled   offline  6f1c0e1e-000…
            backup  disabled  offline  r2

            """, terminal.Output);
        Assert.All(terminal.Output.Split('\n'), line => Assert.True(line.Length <= 40, line));
    }
}
