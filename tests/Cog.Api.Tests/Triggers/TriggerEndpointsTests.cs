using System.Net;
using System.Text;
using Cog.Api.Triggers;
using Cog.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Tests.Triggers;

public sealed class TriggerEndpointsTests : IAsyncLifetime
{
    ApiWorld _world = null!;
    string _admin = "";
    User _alice = null!;
    string _aliceToken = "";

    public async ValueTask InitializeAsync()
    {
        _world = await ApiWorld.StartAsync();
        _admin = (await _world.UserAsync("admin", "operable:manage_triggers")).Token;
        (_alice, _aliceToken) = await _world.UserAsync("alice");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string path, string? json = null, string? token = null) =>
        await ApiWorld.ReadAsync(await _world.SendAsync(method, path, token ?? _admin, json));

    async Task<string> CreateAsync(string name, string pipeline, string? asUser = "alice", int timeout = 30)
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Post, "/v1/triggers", _admin,
            System.Text.Json.JsonSerializer.Serialize(new { trigger = new { name, pipeline, as_user = asUser, timeout_sec = timeout } })));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("trigger").GetProperty("id").GetString()!;
    }

    async Task<(HttpStatusCode Status, string Body)> Invoke(string key, HttpContent? content, string? token = null, string query = "", params (string, string)[] headers) =>
        await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Post, "/v1/triggers/" + key + query, token, content, headers));

    [Fact]
    public async Task A_created_trigger_is_answered_with_its_fields_defaults_location_and_invocation_url()
    {
        var response = await _world.SendAsync(HttpMethod.Post, "/v1/triggers", _admin, """{"trigger": {"name": "hook", "pipeline": "echo hi"}}""");
        var location = response.Headers.Location?.ToString();
        var (status, body) = await ApiWorld.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, status);
        var trigger = body.GetProperty("trigger");
        var id = trigger.GetProperty("id").GetString();
        Assert.Equal($$"""{"id":"{{id}}","name":"hook","pipeline":"echo hi","description":null,"as_user":null,"timeout_sec":30,"enabled":true,"invocation_url":"http://localhost/v1/triggers/{{id}}"}""",
            trigger.GetRawText());
        Assert.Equal("/v1/triggers/" + id, location);
    }

    [Theory]
    [InlineData("""{"trigger": {"name": "bad name", "pipeline": "", "timeout_sec": 0, "as_user": "ghost"}}""",
        """{"errors":{"name":["has invalid format"],"pipeline":["can't be blank"],"timeout_sec":["must be greater than 0"],"as_user":["does not exist"]}}""")]
    [InlineData("""{"trigger": {"name": "x", "pipeline": "echo", "timeout_sec": "soon", "enabled": "yes"}}""",
        """{"errors":{"timeout_sec":["is invalid"],"enabled":["is invalid"]}}""")]
    [InlineData("""{"name": "x"}""", """{"errors":"The request body must be a JSON object with a \"trigger\" member."}""")]
    public async Task Invalid_triggers_are_422_with_the_field_errors(string json, string expected)
    {
        Assert.Equal((HttpStatusCode.UnprocessableEntity, expected), await Send(HttpMethod.Post, "/v1/triggers", json));
    }

    [Fact]
    public async Task Triggers_are_listed_found_by_id_or_name_updated_and_deleted()
    {
        var id = await CreateAsync("hook", "echo hi");
        await CreateAsync("another", "echo");

        var (_, all) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/triggers", _admin));
        Assert.Equal(["another", "hook"], all.GetProperty("triggers").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var (_, named) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/triggers?name=hook", _admin));
        Assert.Equal(id, Assert.Single(named.GetProperty("triggers").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/triggers/hook")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/triggers/" + id)).Status);

        var (status, updated) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Put, "/v1/triggers/hook", _admin,
            """{"trigger": {"enabled": false, "timeout_sec": "45", "description": "Hooks"}}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((false, 45, "Hooks", "echo hi"), (updated.GetProperty("trigger").GetProperty("enabled").GetBoolean(),
            updated.GetProperty("trigger").GetProperty("timeout_sec").GetInt32(), updated.GetProperty("trigger").GetProperty("description").GetString(),
            updated.GetProperty("trigger").GetProperty("pipeline").GetString()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["has already been taken"]}}"""),
            await Send(HttpMethod.Patch, "/v1/triggers/" + id, """{"trigger": {"name": "another"}}"""));

        Assert.Equal((HttpStatusCode.NoContent, ""), await Send(HttpMethod.Delete, "/v1/triggers/hook"));
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Trigger not found"}"""), await Send(HttpMethod.Get, "/v1/triggers/" + id));
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Trigger not found"}"""), await Send(HttpMethod.Delete, "/v1/triggers/hook"));
        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"Bad ID format"}"""), await Send(HttpMethod.Get, "/v1/triggers/bad%20id"));
    }

    [Fact]
    public async Task Managing_triggers_needs_manage_triggers()
    {
        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), await Send(HttpMethod.Get, "/v1/triggers", token: _aliceToken));
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/v1/triggers", """{"trigger": {}}""", _aliceToken)).Status);
    }

    [Fact]
    public async Task The_invocation_url_uses_the_configured_base()
    {
        await using var world = await ApiWorld.StartAsync(s => s.Configure<TriggerEndpointOptions>(o => o.InvocationUrlBase = new Uri("https://hooks.example.com/")));
        var token = (await world.UserAsync("root", "operable:manage_triggers")).Token;

        var (_, body) = await ApiWorld.ReadJsonAsync(await world.SendAsync(HttpMethod.Post, "/v1/triggers", token, """{"trigger": {"name": "h", "pipeline": "echo"}}"""));

        var trigger = body.GetProperty("trigger");
        Assert.Equal("https://hooks.example.com/v1/triggers/" + trigger.GetProperty("id").GetString(), trigger.GetProperty("invocation_url").GetString());
    }

    [Fact]
    public async Task A_json_body_binds_as_body_and_the_output_is_answered()
    {
        await CreateAsync("hook", "echo $body.name $query_params.env $headers.x-multi");

        var answer = await Invoke("hook", new StringContent("""{"name": "web"}""", Encoding.UTF8, "application/json"), query: "?env=prod",
            headers: [("X-Multi", "a"), ("X-Multi", "b")]);

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["web prod [\"a\",\"b\"]"]}]}"""), answer);
    }

    [Fact]
    public async Task A_form_body_is_decoded_with_nested_keys_and_the_raw_body_kept()
    {
        await CreateAsync("hook", "echo $body.a $body.b.c $body.l $raw_body");

        var answer = await Invoke("hook", new StringContent("a=1+2&b[c]=%C3%A9&l[]=x&l[]=y", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["1 2 é [\"x\",\"y\"] a=1+2&b[c]=%C3%A9&l[]=x&l[]=y"]}]}"""), answer);
    }

    [Fact]
    public async Task An_empty_body_is_an_empty_object_and_a_trigger_id_is_in_the_context()
    {
        var id = await CreateAsync("hook", "echo $trigger_id $body");

        var answer = await Invoke("hook", null);

        Assert.Equal((HttpStatusCode.OK, $$"""{"status":"success","pipeline_output":[{"body":["{{id}} {}"]}]}"""), answer);
    }

    [Fact]
    public async Task A_body_of_another_type_is_415_unless_amazon_sns_sent_it()
    {
        await CreateAsync("hook", "echo $body.Type");

        var refused = await Invoke("hook", new StringContent("""{"Type": "Notification"}""", Encoding.UTF8, "text/plain"));
        var untyped = await Invoke("hook", new ByteArrayContent("x"u8.ToArray()));
        var sns = await Invoke("hook", new StringContent("""{"Type": "Notification"}""", Encoding.UTF8, "text/plain"),
            headers: ("User-Agent", TriggerEndpoints.SnsUserAgent));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType,
            """{"errors":"A trigger cannot read a body of type text/plain; charset=utf-8: send application/json or application/x-www-form-urlencoded."}"""), refused);
        Assert.Equal((HttpStatusCode.UnsupportedMediaType,
            """{"errors":"A trigger request with a body needs a Content-Type: application/json or application/x-www-form-urlencoded."}"""), untyped);
        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["Notification"]}]}"""), sns);
    }

    [Fact]
    public async Task A_json_body_that_does_not_parse_is_400_with_its_position()
    {
        await CreateAsync("hook", "echo");

        var answer = await Invoke("hook", new StringContent("{\n  \"a\": }", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("""{"errors":"The request body is not valid JSON at line 2, position 8: """, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trigger_without_a_user_needs_a_token_and_runs_as_its_owner()
    {
        await CreateAsync("mine", "echo $headers", asUser: null);
        var expired = await _world.TokenAsync(_alice, TimeSpan.FromHours(-1));

        Assert.Equal((HttpStatusCode.Unauthorized, ""), await Invoke("mine", null));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"token expired"}"""), await Invoke("mine", null, expired));
        var (status, body) = await Invoke("mine", null, _aliceToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("authorization", body, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(await _world.Store.Audit.ListAsync(new Cog.Runtime.Audit.AuditQuery(Actor: "alice"), ApiWorld.Ct));
    }

    [Fact]
    public async Task Refusals_and_failures_answer_as_cog_did()
    {
        await CreateAsync("fails", "echo $body.missing");
        var id = await CreateAsync("off", "echo");
        await Send(HttpMethod.Put, "/v1/triggers/" + id, """{"trigger": {"enabled": false}}""");

        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Trigger not found"}"""), await Invoke("nope", null));
        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"Bad ID format"}"""), await Invoke("no%20pe", null));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Trigger is not enabled"}"""), await Invoke("off", null));
        var (status, body) = await Invoke("fails", null);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.StartsWith("""{"status":"error","pipeline_output":{"error_message":""", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_sent_only_to_chat_answers_204()
    {
        await CreateAsync("chatty", "echo hi > chat://#ops");

        Assert.Equal((HttpStatusCode.NoContent, ""), await Invoke("chatty", null));
        Assert.Equal("C-ops", Assert.Single(_world.Chat.Sent).Room.Id);
    }

    [Fact]
    public async Task Trigger_answers_are_counted_in_the_metrics()
    {
        await CreateAsync("hook", "echo hi");
        await Invoke("hook", null);

        var metrics = await _world.Http.GetStringAsync("/metrics", ApiWorld.Ct);

        Assert.Contains("cog_trigger_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"200\"", metrics, StringComparison.Ordinal);
    }
}
