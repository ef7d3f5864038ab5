using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class PipelineRemoteCommandsTests
{
    [Theory]
    [InlineData("succeeded", 0)]
    [InlineData("no_output", 0)]
    [InlineData("planning_failed", 1)]
    [InlineData("execution_failed", 1)]
    [InlineData("aborted", 1)]
    public async Task Pipeline_run_prints_the_rendered_reply_and_exits_by_status(string status, int exitCode)
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/pipelines", 200, $$$"""{"pipeline":{"id":"p1","status":"{{{status}}}","output":[],"template":null,"message":null,"position":null,"rendered":"hello\nworld"}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("pipeline", "run", "echo", "hello", "|", "echo", "$body[0]");

        Assert.Equal((exitCode, "hello\nworld\n"), (result.ExitCode, result.Output));
        Assert.Equal("""{"pipeline":"echo hello | echo $body[0]"}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Pipeline_run_exits_1_when_the_reply_is_an_error_although_the_commands_succeeded()
    {
        // A command's output whose template fails: the pipeline succeeded, its reply is the template error.
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/pipelines", 200, """{"pipeline":{"id":"p1","status":"succeeded","output":[{"n":1}],"template":"t","message":null,"position":null,"rendered":"Template Error","reply":"error"}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("pipeline", "run", "greeter:hello");

        Assert.Equal((1, "Template Error\n"), (result.ExitCode, result.Output));
    }

    [Fact]
    public async Task Pipeline_run_with_json_prints_the_whole_pipeline_object()
    {
        const string Pipeline = """{"id":"p1","status":"succeeded","output":[{"body":["hi"]}],"template":null,"message":null,"position":null,"rendered":"hi"}""";
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/pipelines", 200, $$"""{"pipeline":{{Pipeline}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("pipeline", "run", "--json", "echo hi");

        Assert.Equal((0, Pipeline + "\n"), (result.ExitCode, result.Output));
    }

    [Fact]
    public async Task Pipeline_explain_prints_a_row_per_stage_and_exits_1_unless_allowed()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/pipelines/explain", 200, """
            {"explanation":{"user":"alice","pipeline":"s3:ls | s3:delete $bucket","decision":"denied","message":"Sorry, you aren't allowed.",
             "advice":"alice lacks s3:admin. To allow it, an administrator grants it.",
             "stages":[{"stage":1,"command":"s3:ls","invocation":"s3:ls","decision":"allowed","rule":"when command is s3:ls allow","missing":[],"message":null,"aliases":[]},
                       {"stage":2,"command":"s3:delete","invocation":"s3:delete $bucket","decision":"denied","rule":"when command is s3:delete must have s3:admin","missing":["s3:admin"],"message":null,
                        "aliases":[{"name":"wipe","visibility":"user","owner":"alice"},{"name":"nuke","visibility":"site","owner":null}]}]}}
            """);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("pipeline", "explain", "--as", "alice", "s3:ls | s3:delete $bucket");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""{"pipeline":"s3:ls | s3:delete $bucket","as_user":"alice"}""", Assert.Single(server.Requests).Body);
        Assert.Equal(
            "User:      alice\nPipeline:  s3:ls | s3:delete $bucket\nDecision:  denied\n\n" +
            "STAGE  COMMAND    ALIAS                  DECISION  RULE                                          MISSING\n" +
            "1      s3:ls                             allowed   when command is s3:ls allow\n" +
            "2      s3:delete  user:wipe > site:nuke  denied    when command is s3:delete must have s3:admin  s3:admin\n" +
            "\nSorry, you aren't allowed.\n\nalice lacks s3:admin. To allow it, an administrator grants it.\n", result.Output);
    }

    [Fact]
    public async Task Pipeline_list_info_and_kill_use_the_pipeline_routes()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/pipelines?user=all&state=running&limit=5", 200,
                """{"pipelines":[{"id":"p1","user":"bob","text":"sleep 100","room":"ops","provider":"slack","server":"cog-b","state":"running","started_at":"2026-01-01T00:00:00Z","finished_at":null,"processed":0}]}""")
            .Answer("DELETE", "/v1/pipelines/p1", 204);
        using var cli = TestCli.ForServer(server);

        var list = await cli.RunAsync("pipeline", "list", "--user", "all", "--state", "running", "--limit", "5");
        var kill = await cli.RunAsync("pipeline", "kill", "p1");

        Assert.Equal("ID  USER  SERVER  STATE    STARTED AT            PROCESSED  TEXT\np1  bob   cog-b   running  2026-01-01T00:00:00Z  0          sleep 100\n", list.Output);
        Assert.Equal((0, "Killed pipeline p1\n"), (kill.ExitCode, kill.Output));
    }

    [Fact]
    public async Task A_long_pipeline_shows_its_progress_on_a_terminals_standard_error_only()
    {
        await using var server = await FakeCogServer.StartAsync();
        var finish = new TaskCompletionSource();
        server.Answer("POST", "/v1/pipelines", 200, """{"pipeline":{"id":"p1","status":"succeeded","output":[],"template":null,"message":null,"position":null,"rendered":"done"}}""")
            .Hold("POST", "/v1/pipelines", finish.Task);
        using var cli = TestCli.ForServer(server);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        cli.Time = time;
        cli.ErrorIsTerminal = true;
        var output = new LockedWriter();
        var error = new LockedWriter();

        var run = cli.RunAsync(output, error, TestContext.Current.CancellationToken, "pipeline", "run", "sleep 3");
        while (!error.ToString().Contains("3s", StringComparison.Ordinal))
        {
            // Each second of the fake clock that passes while cogctl waits is one more tick of the progress line.
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Equal("", output.ToString());
        finish.SetResult();
        var result = await run;
        cli.ErrorIsTerminal = false;
        var piped = await cli.RunAsync("pipeline", "run", "sleep 3");

        Assert.Equal((0, "done\n"), (result.ExitCode, result.Output));
        Assert.StartsWith("\r⠙ running the pipeline… 1s\r⠹ running the pipeline… 2s\r⠸ running the pipeline… 3s", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("\r\u001b[K", result.Error, StringComparison.Ordinal);
        Assert.Equal((0, "done\n", ""), (piped.ExitCode, piped.Output, piped.Error));
    }
}
