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
        Assert.Equal($$"""{"id":"{{id}}","name":"hook","pipeline":"echo hi","description":null,"as_user":null,"timeout_sec":30,"enabled":true,"allow_cross_origin":false,"invocation_url":"http://localhost/v1/triggers/{{id}}"}""",
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
        var id = await CreateAsync("hook", "echo $body.name $query_params.env $headers.x-multi");

        var answer = await Invoke(id, new StringContent("""{"name": "web"}""", Encoding.UTF8, "application/json"), query: "?env=prod",
            headers: [("X-Multi", "a"), ("X-Multi", "b")]);

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["web prod [\"a\",\"b\"]"]}]}"""), answer);
    }

    [Fact]
    public async Task A_form_body_is_decoded_with_nested_keys_and_the_raw_body_kept()
    {
        var id = await CreateAsync("hook", "echo $body.a $body.b.c $body.l $raw_body");

        var answer = await Invoke(id, new StringContent("a=1+2&b[c]=%C3%A9&l[]=x&l[]=y", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["1 2 é [\"x\",\"y\"] a=1+2&b[c]=%C3%A9&l[]=x&l[]=y"]}]}"""), answer);
    }

    [Fact]
    public async Task An_empty_body_is_an_empty_object_and_a_trigger_id_is_in_the_context()
    {
        var id = await CreateAsync("hook", "echo $trigger_id $body");

        var answer = await Invoke(id, null);

        Assert.Equal((HttpStatusCode.OK, $$"""{"status":"success","pipeline_output":[{"body":["{{id}} {}"]}]}"""), answer);
    }

    [Fact]
    public async Task A_body_of_another_type_is_415_unless_amazon_sns_sent_it()
    {
        var id = await CreateAsync("hook", "echo $body.Type");

        var refused = await Invoke(id, new StringContent("""{"Type": "Notification"}""", Encoding.UTF8, "text/plain"));
        var untyped = await Invoke(id, new ByteArrayContent("x"u8.ToArray()));
        var sns = await Invoke(id, new StringContent("""{"Type": "Notification"}""", Encoding.UTF8, "text/plain"),
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
        var id = await CreateAsync("hook", "echo");

        var answer = await Invoke(id, new StringContent("{\n  \"a\": }", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("""{"errors":"The request body is not valid JSON at line 2, position 8: """, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trigger_without_a_user_needs_a_token_and_runs_as_its_owner()
    {
        var id = await CreateAsync("mine", "echo $headers", asUser: null);
        var expired = await _world.TokenAsync(_alice, TimeSpan.FromHours(-1));

        Assert.Equal((HttpStatusCode.Unauthorized, ""), await Invoke(id, null));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"token expired"}"""), await Invoke(id, null, expired));
        var (status, body) = await Invoke(id, null, _aliceToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("authorization", body, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(await _world.Store.Audit.ListAsync(new Cog.Runtime.Audit.AuditQuery(Actor: "alice"), ApiWorld.Ct));
    }

    [Fact]
    public async Task Refusals_and_failures_answer_as_cog_did()
    {
        var fails = await CreateAsync("fails", "echo $body.missing");
        var id = await CreateAsync("off", "echo");
        await Send(HttpMethod.Put, "/v1/triggers/" + id, """{"trigger": {"enabled": false}}""");

        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Trigger not found"}"""), await Invoke(Guid.NewGuid().ToString("D"), null));
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Trigger not found"}"""), await Invoke("nope", null, _aliceToken));
        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"Bad ID format"}"""), await Invoke("no%20pe", null));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Trigger is not enabled"}"""), await Invoke(id, null));
        var (status, body) = await Invoke(fails, null);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.StartsWith("""{"status":"error","pipeline_output":{"error_message":""", body, StringComparison.Ordinal);
    }

    const string NameNeedsToken =
        """{"errors":"A trigger named in the URL needs an Authorization: token header; without one, invoke the trigger by its id (its invocation_url)."}""";

    const string CrossOriginRefused =
        """{"errors":"This trigger does not accept cross-origin requests (a page of another site sent this one); its allow_cross_origin setting would allow them."}""";

    static StringContent Form(string text = "a=b") => new(text, Encoding.UTF8, "application/x-www-form-urlencoded");

    async Task AssertNothingRanAsync()
    {
        Assert.Empty(await _world.AuditAsync("pipeline.started"));
        Assert.Empty(await _world.AuditAsync("invocation.decided"));
    }

    [Fact]
    public async Task A_trigger_named_in_the_url_needs_a_token_and_the_refusal_is_audited()
    {
        await CreateAsync("hook", "echo hi");

        var named = await Invoke("hook", Form());
        var unknown = await Invoke("nope", null);

        Assert.Equal((HttpStatusCode.Unauthorized, NameNeedsToken), named);
        Assert.Equal((HttpStatusCode.Unauthorized, NameNeedsToken), unknown);
        await AssertNothingRanAsync();
        var denials = await _world.AuditAsync("api.denied");
        Assert.Equal([(null, "POST /v1/triggers/hook", "denied"), (null, "POST /v1/triggers/nope", "denied")],
            denials.Select(d => (d.Actor, d.Command, d.Outcome)));
        Assert.Equal("""{"method":"POST","path":"/v1/triggers/hook","permission":null,"reason":"a trigger named in the URL without a token"}""",
            denials[0].PayloadJson);
    }

    [Fact]
    public async Task A_trigger_named_in_the_url_runs_for_a_token_of_its_user_or_of_a_trigger_manager()
    {
        await CreateAsync("mine", "echo hi", asUser: null);
        await CreateAsync("alices", "echo hi", asUser: "alice");
        var (_, bobToken) = await _world.UserAsync("bob");

        Assert.Equal(HttpStatusCode.OK, (await Invoke("mine", null, bobToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Invoke("alices", null, _aliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Invoke("alices", null, _admin)).Status);
        Assert.Equal((HttpStatusCode.Forbidden,
            """{"errors":"This trigger runs as alice: invoking it by name needs operable:manage_triggers; without it, invoke the trigger by its id."}"""),
            await Invoke("alices", null, bobToken));
        var denial = Assert.Single(await _world.AuditAsync("api.denied"));
        Assert.Equal(("bob", "POST /v1/triggers/alices"), (denial.Actor, denial.Command));
        Assert.Equal("""{"method":"POST","path":"/v1/triggers/alices","permission":"operable:manage_triggers","reason":"the trigger runs as alice"}""",
            denial.PayloadJson);
    }

    [Fact]
    public async Task A_trigger_id_in_the_url_needs_no_token()
    {
        var id = await CreateAsync("hook", "echo $body.a");

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["b"]}]}"""), await Invoke(id, Form()));
    }

    [Fact]
    public async Task A_cross_origin_post_is_refused_audited_and_runs_nothing()
    {
        var id = await CreateAsync("hook", "echo $body.a");

        var answers = new[]
        {
            await Invoke(id, Form(), headers: ("Origin", "http://evil.example")),
            await Invoke(id, Form(), headers: ("Origin", "http://localhost:8080")),
            await Invoke(id, Form(), headers: ("Origin", "https://localhost")),
            await Invoke(id, Form(), headers: ("Origin", "null")),
            await Invoke(id, new StringContent("a=b", Encoding.UTF8, "text/plain"), headers: ("Sec-Fetch-Site", "cross-site")),
            await Invoke(id, null, headers: ("Sec-Fetch-Site", "same-site")),
            await Invoke(id, new StringContent("""{"a":"b"}""", Encoding.UTF8, "application/json"), headers: ("Origin", "http://evil.example")),
        };

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Forbidden, CrossOriginRefused), a));
        await AssertNothingRanAsync();
        var denials = await _world.AuditAsync("api.denied");
        Assert.Equal(answers.Length, denials.Count);
        Assert.Equal($$"""{"method":"POST","path":"/v1/triggers/{{id}}","permission":null,"reason":"a cross-origin request (Origin: http://evil.example)"}""",
            denials[0].PayloadJson);
        Assert.Contains("(Sec-Fetch-Site: cross-site)", denials[4].PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trigger_that_allows_cross_origin_requests_runs_them()
    {
        var (_, created) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Post, "/v1/triggers", _admin,
            """{"trigger": {"name": "open", "pipeline": "echo $body.a", "as_user": "alice", "allow_cross_origin": true}}"""));
        var id = created.GetProperty("trigger").GetProperty("id").GetString()!;

        var answer = await Invoke(id, Form(), headers: [("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site")]);

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["b"]}]}"""), answer);
        Assert.Empty(await _world.AuditAsync("api.denied"));
    }

    [Fact]
    public async Task A_same_origin_form_post_runs()
    {
        var id = await CreateAsync("hook", "echo $body.a");

        var answer = await Invoke(id, Form(), headers: [("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin")]);

        Assert.Equal((HttpStatusCode.OK, """{"status":"success","pipeline_output":[{"body":["b"]}]}"""), answer);
    }

    [Fact]
    public async Task With_a_configured_public_url_the_server_origin_is_that_url()
    {
        await using var world = await ApiWorld.StartAsync(s => s.Configure<TriggerEndpointOptions>(o => o.InvocationUrlBase = new Uri("https://hooks.example.com/cog/")));
        await world.UserAsync("hooks");
        var token = (await world.UserAsync("root", "operable:manage_triggers")).Token;
        var (_, created) = await ApiWorld.ReadJsonAsync(await world.SendAsync(HttpMethod.Post, "/v1/triggers", token,
            """{"trigger": {"name": "h", "pipeline": "echo $body.a", "as_user": "hooks"}}"""));
        var path = "/v1/triggers/" + created.GetProperty("trigger").GetProperty("id").GetString();

        var same = await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Post, path, null, Form(), ("Origin", "https://hooks.example.com")));
        var local = await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Post, path, null, Form(), ("Origin", "http://localhost")));

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal((HttpStatusCode.Forbidden, CrossOriginRefused), local);
    }

    [Fact]
    public async Task Allow_cross_origin_is_false_unless_set_and_is_shown_and_updated_through_the_api()
    {
        var id = await CreateAsync("hook", "echo");

        var (_, shown) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/triggers/" + id, _admin));
        var (_, updated) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Put, "/v1/triggers/" + id, _admin,
            """{"trigger": {"allow_cross_origin": true}}"""));
        var (_, listed) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/triggers", _admin));
        var invalid = await Send(HttpMethod.Put, "/v1/triggers/" + id, """{"trigger": {"allow_cross_origin": "yes"}}""");

        Assert.False(shown.GetProperty("trigger").GetProperty("allow_cross_origin").GetBoolean());
        Assert.True(updated.GetProperty("trigger").GetProperty("allow_cross_origin").GetBoolean());
        Assert.True(Assert.Single(listed.GetProperty("triggers").EnumerateArray()).GetProperty("allow_cross_origin").GetBoolean());
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"allow_cross_origin":["is invalid"]}}"""), invalid);
    }

    [Fact]
    public async Task Output_sent_only_to_chat_answers_204()
    {
        var id = await CreateAsync("chatty", "echo hi > chat://#ops");

        Assert.Equal((HttpStatusCode.NoContent, ""), await Invoke(id, null));
        Assert.Equal("C-ops", Assert.Single(_world.Chat.Sent).Room.Id);
    }

    [Fact]
    public async Task Trigger_answers_are_counted_in_the_metrics()
    {
        var id = await CreateAsync("hook", "echo hi");
        await Invoke(id, null);

        var metrics = await _world.Http.GetStringAsync("/metrics", ApiWorld.Ct);

        Assert.Contains("cog_trigger_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"200\"", metrics, StringComparison.Ordinal);
    }
}
