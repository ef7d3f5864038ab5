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
    public async Task Audit_verify_exits_0_when_intact_and_1_with_every_finding_and_where()
    {
        await using var intactServer = await FakeCogServer.StartAsync();
        intactServer.Answer("GET", "/v1/audit/verify", 200,
            """{"audit_verification":{"intact":true,"records":42,"checkpoints":3,"break":null,"findings":[],"findings_omitted":0}}""");
        await using var brokenServer = await FakeCogServer.StartAsync();
        const string Findings =
            """[{"kind":"forged","sequence":17,"last_sequence":20,"message":"Audit records 17–20 are forged: …"},""" +
            """{"kind":"truncated","sequence":43,"last_sequence":50,"message":"Audit records 43–50 are missing from the end of the log: …"},""" +
            """{"kind":"checkpoint_invalid","sequence":0,"last_sequence":0,"message":"x.jsonl:2 is not a checkpoint: …"}]""";
        brokenServer.Answer("GET", "/v1/audit/verify", 200,
            """{"audit_verification":{"intact":false,"records":42,"checkpoints":3,"break":null,"findings":""" + Findings + ""","findings_omitted":0}}""");
        using var intactCli = TestCli.ForServer(intactServer);
        using var brokenCli = TestCli.ForServer(brokenServer);

        var intact = await intactCli.RunAsync("audit", "verify");
        var broken = await brokenCli.RunAsync("audit", "verify");
        var brokenJson = await brokenCli.RunAsync("audit", "verify", "--json");

        Assert.Equal((0, "Audit log intact: 42 records verified against 3 checkpoints.\n"), (intact.ExitCode, intact.Output));
        Assert.Equal((1, """
            Audit log NOT INTACT: 3 finding(s) in 42 records, 3 checkpoints.
            forged               records 17–20: Audit records 17–20 are forged: …
            truncated            records 43–50: Audit records 43–50 are missing from the end of the log: …
            checkpoint_invalid   checkpoints: x.jsonl:2 is not a checkpoint: …

            """), (broken.ExitCode, broken.Output));
        Assert.Equal(1, brokenJson.ExitCode);
        Assert.StartsWith("""{"intact":false,""", brokenJson.Output, StringComparison.Ordinal);
    }
}
