using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class AuditCommandsTests
{
    [Fact]
    public async Task Audit_list_passes_the_filters_as_query_parameters()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/audit?user=bob&kind=pipeline.started&from=2026-01-01T00%3A00%3A00Z&after=10&limit=2", 200,
            """{"audit_records":[{"sequence":11,"time":"2026-01-01T00:00:01Z","kind":"pipeline.started","actor":"bob","command":"echo","outcome":"allowed","payload":{},"hash":"h"}]}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("audit", "list", "--user", "bob", "--kind", "pipeline.started", "--since", "2026-01-01T00:00:00Z", "--after", "10", "--limit", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("SEQUENCE  TIME                  KIND              ACTOR  COMMAND  OUTCOME\n11        2026-01-01T00:00:01Z  pipeline.started  bob    echo     allowed\n", result.Output);
    }

    [Fact]
    public async Task Audit_list_rejects_a_time_that_is_not_iso_8601()
    {
        using var cli = new TestCli();

        var result = await cli.RunAsync("-u", "http://127.0.0.1:1", "-U", "a", "-P", "b", "audit", "list", "--until", "yesterday");

        Assert.Equal((2, "Error: --until 'yesterday' is not an ISO-8601 date or time\n"), (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task Audit_verify_exits_0_when_intact_and_1_with_the_break()
    {
        await using var intactServer = await FakeCogServer.StartAsync();
        intactServer.Answer("GET", "/v1/audit/verify", 200, """{"audit_verification":{"intact":true,"records":42,"break":null}}""");
        await using var brokenServer = await FakeCogServer.StartAsync();
        brokenServer.Answer("GET", "/v1/audit/verify", 200, """{"audit_verification":{"intact":false,"records":42,"break":{"sequence":17,"kind":"altered","message":"record 17's hash does not match its content"}}}""");
        using var intactCli = TestCli.ForServer(intactServer);
        using var brokenCli = TestCli.ForServer(brokenServer);

        var intact = await intactCli.RunAsync("audit", "verify");
        var broken = await brokenCli.RunAsync("audit", "verify");
        var brokenJson = await brokenCli.RunAsync("audit", "verify", "--json");

        Assert.Equal((0, "Audit log intact: 42 records verified.\n"), (intact.ExitCode, intact.Output));
        Assert.Equal((1, "Audit log BROKEN at record 17 (altered): record 17's hash does not match its content\n"), (broken.ExitCode, broken.Output));
        Assert.Equal(1, brokenJson.ExitCode);
        Assert.StartsWith("""{"intact":false,""", brokenJson.Output, StringComparison.Ordinal);
    }
}
