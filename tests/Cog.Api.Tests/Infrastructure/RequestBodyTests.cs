using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Tests.Infrastructure;

/// <summary>Bad bytes in any request body get a 400 with a JSON message, never a 500.</summary>
public class RequestBodyTests
{
    /// <summary>Every route that takes a body (POST, PUT, PATCH), found through the app's endpoints so that new routes
    /// are covered too, with its route parameters filled in.</summary>
    static List<(string Method, string Path)> BodyRoutes(ApiWorld world)
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in world.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var path = string.Concat(endpoint.RoutePattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart { Name: "version" } => "1.0.0",
                RoutePatternParameterPart { Name: "layer" } => "room",
                RoutePatternParameterPart => "x",
                _ => "",
            }))));
            // The memory service admits a pipeline token, not a user's, before it reads a body (MemoryServiceTests).
            if (path.StartsWith("/v1/services/", StringComparison.Ordinal))
                continue;
            routes.AddRange(methods.Where(m => m is "POST" or "PUT" or "PATCH").Select(m => (m, path)));
        }
        return routes;
    }

    // One body fits every route: each envelope the API reads holds the invalid bytes where its fields are read.
    static readonly string[] Envelopes = ["user", "group", "role", "permission", "chat_handle", "relay", "relay_group", "bundle", "config",
        "rule", "trigger", "users", "roles", "permissions", "relays", "bundles"];

    static byte[] BodyWithInvalidUtf8()
    {
        const string Fields = """{"name":"a?","username":"a?","password":"a?","email_address":"a?","pipeline":"a?","rule":"a?","chat_provider":"a?","handle":"a?","add":["a?"],"grant":["a?"],"config":"a?","status":"a?"}""";
        var text = "{" + string.Join(",", Envelopes.Select(e => $"\"{e}\":{Fields}"))
            + ""","username":"a?","password":"a?","pipeline":"a?","status":"a?","name":"a?"}""";
        // Each ? becomes the single byte 0xFF: never valid in UTF-8.
        return [.. Encoding.ASCII.GetBytes(text).Select(b => b == (byte)'?' ? (byte)0xFF : b)];
    }

    static async Task<(HttpStatusCode Status, string? ContentType, string Body)> SendBytesAsync(ApiWorld world, string method, string path, string token, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await world.SendAsync(new HttpMethod(method), path, token, content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(ApiWorld.Ct));
    }

    [Fact]
    public async Task Invalid_utf8_in_any_json_body_is_a_400_with_its_position()
    {
        await using var world = await ApiWorld.StartAsync();
        // Not bootstrapped (so the bootstrap route reads its body too): a user holding every permission instead.
        var (_, admin) = await world.UserAsync("root", "operable:manage_commands", "operable:manage_groups", "operable:manage_permissions",
            "operable:manage_relays", "operable:manage_roles", "operable:manage_triggers", "operable:manage_users", "operable:manage_user_pipeline");
        // A trigger answers for its own name before it reads a body: /v1/triggers/x names one.
        using (var trigger = await world.SendAsync(HttpMethod.Post, "/v1/triggers", admin, """{"trigger": {"name": "x", "pipeline": "echo hi"}}"""))
            Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var body = BodyWithInvalidUtf8();
        var routes = BodyRoutes(world);
        Assert.Contains(("POST", "/v1/groups"), routes);

        var wrong = new List<string>();
        foreach (var (method, path) in routes)
        {
            var (status, contentType, text) = await SendBytesAsync(world, method, path, admin, body);
            if (status != HttpStatusCode.BadRequest || contentType != "application/json" || !text.Contains("\"errors\":\"The request body is not valid UTF-8 at line 1, position ", StringComparison.Ordinal))
                wrong.Add($"{method} {path}: {(int)status} {text}");
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_at_the_first_bad_byte()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var answer = await SendBytesAsync(world, "POST", "/v1/groups", admin, [.. "{\"group\":\n {\"name\":\"o"u8, 0xC3, 0x28, .. "\"}}"u8]);

        Assert.Equal((HttpStatusCode.BadRequest, "application/json", """{"errors":"The request body is not valid UTF-8 at line 2, position 12."}"""), answer);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_sign_in_form_is_a_400_with_its_position()
    {
        await using var world = await ApiWorld.StartAsync();
        await world.AdminTokenAsync();
        var content = new ByteArrayContent([.. "username=admin&password="u8, 0xFE, 0xFF, 0x80]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await world.SendAsync(HttpMethod.Post, "/v1/token", null, content);

        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"The request body is not valid UTF-8 at line 1, position 25."}"""),
            (response.StatusCode, await response.Content.ReadAsStringAsync(ApiWorld.Ct)));
    }

    [Fact]
    public async Task Duplicate_keys_are_refused_naming_the_key_and_its_path()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var answer = await world.TextAsync(HttpMethod.Post, "/v1/groups", admin, """{"group":{"name":"ops","name":"cog-admin"}}""");
        var groups = await world.TextAsync(HttpMethod.Get, "/v1/groups", admin);
        var nested = await world.TextAsync(HttpMethod.Post, "/v1/pipelines", admin, "{\"pipeline\":\"echo hi\",\n\"x\":[1,{\"a\":[]},{\"a\":1,\"a\":2}]}");

        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"The request body has the key \"name\" twice in $.group (line 1, position 24)."}"""), answer);
        Assert.DoesNotContain("\"ops\"", groups.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"The request body has the key \"a\" twice in $.x[2] (line 2, position 24)."}"""), nested);
    }

    [Fact]
    public async Task A_bundle_manifest_may_give_a_key_twice_but_the_rest_of_the_body_may_not()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        const string manifest = """{"cog_bundle_version":5,"name":"twice","description":"d","version":"0.1.0","name":"twice","commands":{"c":{"executable":"/bin/true","rules":["allow"]}}}""";

        var installed = await world.TextAsync(HttpMethod.Post, "/v1/bundles", admin, "{\"bundle\":{\"config\":" + manifest + "}}");
        var envelope = await world.TextAsync(HttpMethod.Post, "/v1/bundles", admin, "{\"bundle\":{\"force\":true,\"force\":false,\"config\":" + manifest + "}}");

        Assert.True(installed.Status == HttpStatusCode.Created, installed.Body);
        Assert.True(installed.Body.Contains("\"warnings\":[\"config.yaml:1:76: Duplicate key 'name' on lines 1 and 1", StringComparison.Ordinal), installed.Body);
        Assert.Equal((HttpStatusCode.BadRequest, """{"errors":"The request body has the key \"force\" twice in $.bundle (line 1, position 25)."}"""), envelope);
    }

    [Fact]
    public async Task An_unhandled_failure_is_a_500_with_a_json_message_and_no_stack_trace()
    {
        await using var world = await ApiWorld.StartAsync(services => services.AddSingleton<Cog.Runtime.Pipeline.IPipelineRunner>(new FailingRunner()));
        var admin = await world.AdminTokenAsync();

        var (status, body) = await world.TextAsync(HttpMethod.Post, "/v1/pipelines", admin, """{"pipeline":"echo hi"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("""{"errors":"The server failed to answer this request; the failure is in the server's log."}""", body);
    }

    [Fact]
    public async Task Answers_the_framework_gives_without_a_body_carry_a_json_message()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var unknownRoute = await world.TextAsync(HttpMethod.Get, "/v1/no-such-thing", admin, null);
        var wrongMethod = await world.TextAsync(HttpMethod.Put, "/v1/token", admin, "{}");

        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Not Found: no route answers GET /v1/no-such-thing."}"""), unknownRoute);
        Assert.Equal((HttpStatusCode.MethodNotAllowed, """{"errors":"Method Not Allowed: no route answers PUT /v1/token."}"""), wrongMethod);
    }

    sealed class FailingRunner : Cog.Runtime.Pipeline.IPipelineRunner
    {
        public Task<Cog.Runtime.Pipeline.PipelineOutcome> RunAsync(Cog.Runtime.Pipeline.PipelineRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret internals at Cog.Runtime.Something.Method()");

        public Task<Cog.Runtime.Pipeline.PipelineExplanation> ExplainAsync(Cog.Runtime.Pipeline.PipelineRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret internals");
    }
}
