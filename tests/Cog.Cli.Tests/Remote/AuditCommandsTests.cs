using Cog.Cli.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Cli.Tests.Remote;

public class AuditCommandsTests
{
    [Fact]
    public async Task Audit_list_passes_the_filters_as_query_parameters()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/audit?user=bob&kind=pipeline.started&from=2026-01-01T00%3A00%3A00Z&limit=2&after=10&order=newest", 200,
            """{"audit_records":[{"sequence":11,"time":"2026-01-01T00:00:01Z","kind":"pipeline.started","actor":"bob","command":"echo","outcome":"allowed","payload":{},"hash":"h"}]}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("audit", "list", "--user", "bob", "--kind", "pipeline.started", "--since", "2026-01-01T00:00:00Z", "--after", "10", "--limit", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("SEQUENCE  TIME                  KIND              ACTOR  COMMAND  OUTCOME\n11        2026-01-01T00:00:01Z  pipeline.started  bob    echo     allowed\n", result.Output);
    }

    static string Record(long sequence, string time, string kind = "pipeline.started") =>
        $$"""{"sequence":{{sequence}},"time":"{{time}}","kind":"{{kind}}","actor":"bob","command":"echo hi","outcome":"allowed","payload":{},"hash":"h"}""";

    [Fact]
    public async Task Audit_list_shows_the_newest_records_first_since_a_time_ago_with_times_to_the_second()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/audit?from=2026-05-01T11%3A00%3A00Z&order=newest", 200,
            $$"""{"audit_records":[{{Record(12, "2026-05-01T11:59:00.654321Z")}},{{Record(11, "2026-05-01T11:30:00.123456Z")}}]}""");
        using var cli = TestCli.ForServer(server);
        cli.Time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

        var result = await cli.RunAsync("audit", "list", "--since", "1h");

        Assert.Equal((0, """
            SEQUENCE  TIME                  KIND              ACTOR  COMMAND  OUTCOME
            12        2026-05-01T11:59:00Z  pipeline.started  bob    echo hi  allowed
            11        2026-05-01T11:30:00Z  pipeline.started  bob    echo hi  allowed

            """), (result.ExitCode, result.Output));
    }

    [Fact]
    public async Task Audit_list_follow_prints_the_newest_records_in_order_then_each_new_one_until_interrupted()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/audit?kind=pipeline.started&limit=2&order=newest", 200,
                $$"""{"audit_records":[{{Record(12, "2026-05-01T11:59:00Z")}},{{Record(11, "2026-05-01T11:58:00Z")}}]}""")
            .Answer("GET", "/v1/audit?kind=pipeline.started&after=12&order=oldest&limit=1000", 200, $$"""{"audit_records":[{{Record(13, "2026-05-01T12:00:01Z")}}]}""")
            .Answer("GET", "/v1/audit?kind=pipeline.started&after=13&order=oldest&limit=1000", 200, """{"audit_records":[]}""");
        using var cli = TestCli.ForServer(server);
        cli.FollowInterval = TimeSpan.FromMilliseconds(20);
        var output = new LockedWriter();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = cli.RunAsync(output, new LockedWriter(), interrupt.Token, "audit", "list", "--kind", "pipeline.started", "--limit", "2", "--follow");
        while (!server.Requests.Any(r => r.PathAndQuery.Contains("after=13", StringComparison.Ordinal)))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal((0, """
            2026-05-01T11:58:00Z  #11  pipeline.started  bob  echo hi  allowed
            2026-05-01T11:59:00Z  #12  pipeline.started  bob  echo hi  allowed
            2026-05-01T12:00:01Z  #13  pipeline.started  bob  echo hi  allowed

            """), (result.ExitCode, result.Output));
    }

    [Fact]
    public async Task Audit_list_rejects_a_time_that_is_not_iso_8601()
    {
        using var cli = new TestCli();

        var result = await cli.RunAsync("-u", "http://127.0.0.1:1", "-U", "a", "-P", "b", "audit", "list", "--until", "yesterday");

        Assert.Equal((2, "Error: --until 'yesterday' is neither an ISO-8601 date or time nor a time ago (90s, 30m, 1h, 2d, 1w)\n"), (result.ExitCode, result.Error));
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
