using Cog.Language.Resolution;
using System.Collections.Immutable;
using System.Net;
using Cog.Language.Text;
using Cog.Runtime.Pipeline;

namespace Cog.Api.Tests.Pipelines;

public sealed class PipelineEndpointsTests : IAsyncLifetime
{
    ApiWorld _world = null!;
    string _alice = "";
    string _bob = "";
    string _admin = "";

    static CancellationToken Ct => ApiWorld.Ct;

    public async ValueTask InitializeAsync()
    {
        _world = await ApiWorld.StartAsync();
        _alice = (await _world.UserAsync("alice")).Token;
        _bob = (await _world.UserAsync("bob")).Token;
        _admin = (await _world.UserAsync("admin", "operable:manage_user_pipeline", "operable:manage_commands")).Token;
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    Task<HttpResponseMessage> Run(string token, string text) =>
        _world.SendAsync(HttpMethod.Post, "/v1/pipelines", token, System.Text.Json.JsonSerializer.Serialize(new { pipeline = text }));

    [Fact]
    public async Task A_pipeline_runs_as_the_caller_and_answers_its_output_and_rendering()
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await Run(_alice, "echo hello world"));

        Assert.Equal(HttpStatusCode.OK, status);
        var pipeline = body.GetProperty("pipeline");
        Assert.True(Guid.TryParse(pipeline.GetProperty("id").GetString(), out _));
        Assert.Equal("succeeded", pipeline.GetProperty("status").GetString());
        Assert.Equal("""[{"body":["hello world"]}]""", pipeline.GetProperty("output").GetRawText());
        Assert.Equal("hello world", pipeline.GetProperty("rendered").GetString());
        Assert.Equal("output", pipeline.GetProperty("reply").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pipeline.GetProperty("message").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pipeline.GetProperty("position").ValueKind);
        Assert.True(pipeline.TryGetProperty("template", out _));
    }

    [Fact]
    public async Task A_pipeline_that_does_not_parse_is_still_200_with_its_status_message_and_position()
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await Run(_alice, "echo hi |"));

        Assert.Equal(HttpStatusCode.OK, status);
        var pipeline = body.GetProperty("pipeline");
        Assert.Equal("planning_failed", pipeline.GetProperty("status").GetString());
        Assert.Equal("[]", pipeline.GetProperty("output").GetRawText());
        var message = pipeline.GetProperty("message").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        // The rendered text is Cog's error template (docs/templates.md): a card with the message in it.
        var rendered = pipeline.GetProperty("rendered").GetString()!;
        Assert.StartsWith("│ Pipeline Error\n│ Caller: alice\n", rendered, StringComparison.Ordinal);
        Assert.Contains("│     " + message, rendered, StringComparison.Ordinal);
        Assert.Equal("error", pipeline.GetProperty("reply").GetString());
        Assert.Equal(1, pipeline.GetProperty("position").GetProperty("line").GetInt32());
        Assert.True(pipeline.GetProperty("position").GetProperty("column").GetInt32() > 1);
    }

    [Fact]
    public async Task A_pipeline_longer_than_the_text_limit_is_422_and_nothing_runs_or_is_recorded()
    {
        var text = new System.Text.StringBuilder("echo").Insert(4, " a", 520_000).ToString();
        const string Expected = """{"errors":{"pipeline":["must be at most 65,536 characters (this one has 1,040,004)"]}}""";

        Assert.Equal((HttpStatusCode.UnprocessableEntity, Expected), await ApiWorld.ReadAsync(await Run(_alice, text)));
        var explain = await _world.SendAsync(HttpMethod.Post, "/v1/pipelines/explain", _alice, System.Text.Json.JsonSerializer.Serialize(new { pipeline = text }));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, Expected), await ApiWorld.ReadAsync(explain));
        Assert.Equal((HttpStatusCode.OK, """{"pipelines":[]}"""), await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines", _alice)));
    }

    [Fact]
    public async Task Chat_targets_get_the_output_through_the_chat_provider()
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await Run(_alice, "echo hello *> chat://#ops here"));

        Assert.Equal((HttpStatusCode.OK, "succeeded"), (status, body.GetProperty("pipeline").GetProperty("status").GetString()));
        var sent = Assert.Single(_world.Chat.Sent);
        Assert.Equal(("C-ops", "hello"), (sent.Room.Id, sent.Text));
    }

    [Fact]
    public async Task Targets_an_api_caller_cannot_reach_stop_the_pipeline_before_anything_runs()
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await Run(_alice, "echo hello *> #ops me"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("planning_failed", body.GetProperty("pipeline").GetProperty("status").GetString());
        Assert.Equal("No commands were executed because the following redirects are invalid: #ops, me",
            body.GetProperty("pipeline").GetProperty("message").GetString());
        Assert.Empty(_world.Chat.Sent);
    }

    [Fact]
    public async Task A_pipeline_without_output_says_so()
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await Run(_alice, "echo hello | filter --path=body --matches=nope"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no_output", body.GetProperty("pipeline").GetProperty("status").GetString());
        Assert.Equal(PipelineMessages.NoOutput, body.GetProperty("pipeline").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"pipeline\": ", """{"errors":"The request body is not valid JSON at line 1, position 14: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed."}""")]
    [InlineData("""{"text": "echo"}""", """{"errors":"The request body must be a JSON object with a \"pipeline\" member."}""")]
    [InlineData("""{"pipeline": 5}""", """{"errors":"The request body must be a JSON object with a \"pipeline\" member."}""")]
    public async Task A_malformed_body_is_400(string json, string expected)
    {
        var (status, body) = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Post, "/v1/pipelines", _alice, json));

        Assert.Equal(expected, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Without_a_token_nothing_runs()
    {
        var (status, body) = await ApiWorld.ReadAsync(await Run(null!, "echo hi"));

        Assert.Equal((HttpStatusCode.Unauthorized, ""), (status, body));
    }

    [Fact]
    public async Task Explaining_for_oneself_answers_the_runners_explanation()
    {
        _world.Runner.Explanation = r => new PipelineExplanation(r.Text, r.Caller, ExplanationDecision.NoRule, "No rules match the command", null,
        [
            new StageExplanation(1, "operable:echo", "operable:echo hi", StageDecision.Allowed, "when command is operable:echo allow", [], null, []),
            new StageExplanation(2, "ops:deploy", "ops:deploy $body", StageDecision.Deferred, null, [], null, [new AliasExpansion("deploy", AliasVisibility.Site)]),
            new StageExplanation(3, "ops:nuke", "ops:nuke", StageDecision.NoRule, null, ImmutableArray.Create("ops:nuke"), "No rules match the command", []),
        ]);

        var (status, body) = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Post, "/v1/pipelines/explain", _alice, """{"pipeline": "echo hi | deploy $body | nuke"}"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"explanation":{"user":"alice","pipeline":"echo hi | deploy $body | nuke","decision":"no_rule","message":"No rules match the command","advice":null,"stages":[""" +
            """{"stage":1,"command":"operable:echo","invocation":"operable:echo hi","decision":"allowed","rule":"when command is operable:echo allow","missing":[],"message":null,"aliases":[]},""" +
            """{"stage":2,"command":"ops:deploy","invocation":"ops:deploy $body","decision":"deferred","rule":null,"missing":[],"message":null,"aliases":""" +
            """[{"name":"deploy","visibility":"site","owner":null}]},""" +
            """{"stage":3,"command":"ops:nuke","invocation":"ops:nuke","decision":"no_rule","rule":null,"missing":["ops:nuke"],"message":"No rules match the command","aliases":[]}]}}""", body);
        var request = Assert.Single(_world.Runner.Explained);
        Assert.Equal(("alice", "http"), (request.Caller.Username, request.Caller.Provider));
    }

    [Fact]
    public async Task A_denial_for_lack_of_a_permission_is_explained_with_how_to_grant_it()
    {
        _world.Runner.Explanation = r => new PipelineExplanation(r.Text, r.Caller, ExplanationDecision.Denied, "Sorry", null,
        [
            new StageExplanation(1, "shelldemo:greet", "shelldemo:greet world", StageDecision.Denied, "must have shelldemo:greet", ImmutableArray.Create("shelldemo:greet"), "Sorry", []),
        ]);

        var (status, body) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Post, "/v1/pipelines/explain", _alice, """{"pipeline": "shelldemo:greet world"}"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice lacks shelldemo:greet. To allow it, an administrator grants it to a role and that role to one of alice's groups: "
            + "cogctl role grant ROLE shelldemo:greet, then cogctl group grant GROUP ROLE (cogctl user info alice lists the groups).",
            body.GetProperty("explanation").GetProperty("advice").GetString());
    }

    [Fact]
    public async Task Explaining_for_someone_else_needs_manage_commands()
    {
        _world.Runner.Explanation = r => new PipelineExplanation(r.Text, r.Caller, ExplanationDecision.Denied, "denied", new SourcePosition(0, 1, 1), []);

        var refused = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Post, "/v1/pipelines/explain", _alice, """{"pipeline": "echo", "as_user": "bob"}"""));
        var (status, body) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Post, "/v1/pipelines/explain", _admin, """{"pipeline": "echo", "as_user": "bob"}"""));
        var unknown = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Post, "/v1/pipelines/explain", _admin, """{"pipeline": "echo", "as_user": "carol"}"""));

        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), refused);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("bob", "denied"), (body.GetProperty("explanation").GetProperty("user").GetString(), body.GetProperty("explanation").GetProperty("decision").GetString()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity,
            """{"errors":"No user is named carol: give the username of an existing Cog user (cogctl user list shows them)"}"""), unknown);
        var explained = Assert.Single(_world.Runner.Explained);
        Assert.Equal(("bob", "admin"), (explained.Caller.Username, explained.RequestedBy));
    }

    [Fact]
    public async Task A_running_pipeline_is_listed_shown_only_to_its_owner_or_an_admin_and_killed()
    {
        var running = Run(_alice, "sleep 30");
        var id = await WaitUntilRunningAsync();

        var (listStatus, list) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines?state=running", _alice));
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var listed = Assert.Single(list.GetProperty("pipelines").EnumerateArray());
        Assert.Equal((id, "alice", "sleep 30", "direct", "http", "running", 0L),
            (listed.GetProperty("id").GetString(), listed.GetProperty("user").GetString(), listed.GetProperty("text").GetString(), listed.GetProperty("room").GetString(),
             listed.GetProperty("provider").GetString(), listed.GetProperty("state").GetString(), listed.GetProperty("processed").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("finished_at").ValueKind);
        Assert.True(listed.GetProperty("started_at").TryGetDateTimeOffset(out _));

        Assert.Equal("""{"pipelines":[]}""", (await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines", _bob))).Body);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines?user=all", _bob))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines/" + id, _bob))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Delete, "/v1/pipelines/" + id, _bob))).Status);
        var (adminStatus, adminList) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines?user=alice", _admin));
        Assert.Equal((HttpStatusCode.OK, 1), (adminStatus, adminList.GetProperty("pipelines").GetArrayLength()));
        var (showStatus, shown) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines/" + id, _admin));
        Assert.Equal((HttpStatusCode.OK, id), (showStatus, shown.GetProperty("pipeline").GetProperty("id").GetString()));

        Assert.Equal((HttpStatusCode.NoContent, ""), await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Delete, "/v1/pipelines/" + id, _alice)));

        var (status, body) = await ApiWorld.ReadJsonAsync(await running.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("execution_failed", body.GetProperty("pipeline").GetProperty("status").GetString());
        Assert.Equal($"Pipeline {id} was killed.", body.GetProperty("pipeline").GetProperty("message").GetString());
        // Killed, it is a finished pipeline in the history now.
        Assert.Equal((HttpStatusCode.UnprocessableEntity, $$"""{"errors":"Pipeline {{id}} is not running"}"""),
            await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Delete, "/v1/pipelines/" + id, _alice)));
    }

    [Fact]
    public async Task Finished_pipelines_come_from_the_history()
    {
        var alice = (await _world.Store.Users.FindByUsernameAsync("alice", Ct))!;
        var started = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var entry = (await _world.Store.History.AddAsync(new PipelineHistoryEntry("6a1f7f9e-0000-4000-8000-000000000001", alice.Id, 0, "echo old", "ops", "slack", 0,
            PipelineState.Running, started, null) { Instance = "cog-b" }, Ct)).GetValueOrThrow();
        (await _world.Store.History.UpdateAsync(entry.Id, PipelineState.Finished, 3, started.AddSeconds(2), Ct)).GetValueOrThrow();

        var (status, body) = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines?state=finished", _alice));
        var running = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines?state=running", _alice));
        var killed = await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Delete, "/v1/pipelines/" + entry.Id, _alice));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"pipelines":[{"id":"6a1f7f9e-0000-4000-8000-000000000001","user":"alice","text":"echo old","room":"ops","provider":"slack","server":"cog-b","state":"finished",""" +
            """ "started_at":"2026-03-01T10:00:00+00:00","finished_at":"2026-03-01T10:00:02+00:00","processed":3}]}""".TrimStart(), body);
        Assert.Equal("""{"pipelines":[]}""", running.Body);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Pipeline 6a1f7f9e-0000-4000-8000-000000000001 is not running"}"""), killed);
    }

    [Theory]
    [InlineData("?state=paused", """{"errors":{"state":["must be running or finished"]}}""")]
    [InlineData("?limit=0", """{"errors":{"limit":["must be a number from 1 to 1000"]}}""")]
    [InlineData("?limit=many", """{"errors":{"limit":["must be a number from 1 to 1000"]}}""")]
    [InlineData("?user=carol", """{"errors":{"user":["does not exist"]}}""")]
    public async Task Bad_list_filters_are_422_naming_them(string query, string expected)
    {
        Assert.Equal((HttpStatusCode.UnprocessableEntity, expected), await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines" + query, _admin)));
    }

    [Fact]
    public async Task An_unknown_pipeline_is_404()
    {
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Pipeline not found"}"""), await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/pipelines/nope", _alice)));
    }

    async Task<string> WaitUntilRunningAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            if (_world.Running.List() is [var pipeline])
                return pipeline.Id;
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException("The pipeline did not start.");
    }
}
