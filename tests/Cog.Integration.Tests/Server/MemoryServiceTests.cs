using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Server;

/// <summary>The server with a network bundle for its dev relay: the memory service's HTTP contract, written from Cog
/// 1.0's own controller test (operable/cog test/controllers/v1/memory_service_controller_test.exs, the paths and
/// bodies cog-rb's and pycog3's helpers send: <c>$COG_SERVICES_ROOT/v1/services/memory/1.0.0/KEY</c>,
/// <c>Authorization: pipeline $COG_SERVICE_TOKEN</c>), and a command that keeps state across stages through a real
/// relay.</summary>
public sealed class MemoryServiceFixture : IAsyncLifetime
{
    const string NetworkBundles = "COG_RELAY_SANDBOX__NETWORK_BUNDLES";

    ServerEnvironment? _environment;

    internal ServerEnvironment Environment => _environment ?? throw new InvalidOperationException("The server is not started.");

    public async ValueTask InitializeAsync()
    {
        // The dev relay process inherits this process's environment when the server starts it: memo may use the
        // network (loopback to the server) in the relay's sandbox. Other relays started meanwhile serve no memo bundle.
        System.Environment.SetEnvironmentVariable(NetworkBundles, "memo");
        try
        {
            _environment = await ServerEnvironment.StartAsync((options, root) =>
            {
                options.Database.Provider = "sqlite";
                ServerEnvironment.CopyBundle(Repository.TestBundle("memo"), Path.Combine(root, "bundles", "memo"));
            });
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(NetworkBundles, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_environment is not null)
            await _environment.DisposeAsync();
    }
}

public sealed class MemoryServiceTests(MemoryServiceFixture fixture) : IClassFixture<MemoryServiceFixture>
{
    const string Path = "/v1/services/memory/1.0.0";

    ServerEnvironment Env => fixture.Environment;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A token as the server issues one to an invocation of <paramref name="pipeline"/>.</summary>
    Runtime.Pipeline.ServiceGrant Grant(string pipeline = "pipeline-1") =>
        Env.Server.CommandServices.Issue(pipeline + "-" + Env.NewName("p"), Env.Server.Time.GetUtcNow().AddMinutes(5));

    async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string key, string? json, string? token)
    {
        using var request = new HttpRequestMessage(method, Path + "/" + key);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("pipeline", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Env.Http.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    static string Compact(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(json));

    [Fact]
    public async Task Requests_without_a_token_or_with_an_unknown_or_revoked_one_are_denied()
    {
        var grant = Grant();
        var token = grant.Endpoint.Token;
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "food", null, token)).Status);
        grant.Dispose();

        var none = await SendAsync(HttpMethod.Get, "food", null, null);
        var unknown = await SendAsync(HttpMethod.Get, "food", null, "not-a-token");
        var revoked = await SendAsync(HttpMethod.Get, "food", null, token);

        Assert.Equal((HttpStatusCode.Unauthorized, ""), none);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"unknown token"}"""), unknown);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"unknown token"}"""), revoked);
    }

    [Fact]
    public async Task Fetch_accum_join_replace_and_delete_answer_as_cog_1_0()
    {
        using var grant = Grant();
        var token = grant.Endpoint.Token;

        Assert.Equal((HttpStatusCode.NotFound, """{"error":"key not found"}"""), await SendAsync(HttpMethod.Get, "food", null, token));
        Assert.Equal("""["taco"]""", (await SendAsync(HttpMethod.Post, "food", """{"op":"accum","value":"taco"}""", token)).Body);
        Assert.Equal("""["taco","burrito"]""", (await SendAsync(HttpMethod.Post, "food", """{"op":"accum","value":"burrito"}""", token)).Body);
        Assert.Equal("""["taco","burrito"]""", Compact((await SendAsync(HttpMethod.Get, "food", null, token)).Body));
        Assert.Equal("""["taco","burrito","spaghetti","lasagna"]""",
            (await SendAsync(HttpMethod.Post, "food", """{"op":"join","value":["spaghetti","lasagna"]}""", token)).Body);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"error":"Must use lists for the join operation"}"""),
            await SendAsync(HttpMethod.Post, "food", """{"op":"join","value":"not_a_list"}""", token));

        Assert.Equal("\"water\"", (await SendAsync(HttpMethod.Put, "drink", "\"water\"", token)).Body);
        Assert.Equal("""["water","coffee"]""", (await SendAsync(HttpMethod.Post, "drink", """{"op":"accum","value":"coffee"}""", token)).Body);
        Assert.Equal("""{"whee":"so fun"}""", (await SendAsync(HttpMethod.Put, "stuff", """{"whee": "so fun"}""", token)).Body);

        Assert.Equal((HttpStatusCode.OK, """["water","coffee"]"""), await SendAsync(HttpMethod.Delete, "drink", null, token));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "drink", null, token)).Status);
    }

    [Fact]
    public async Task Values_are_the_pipelines_own_and_what_cog_1_0_crashed_on_is_a_clear_error()
    {
        using var first = Grant("first");
        using var second = Grant("second");

        await SendAsync(HttpMethod.Put, "drink", "\"water\"", first.Endpoint.Token);
        var other = await SendAsync(HttpMethod.Get, "drink", null, second.Endpoint.Token);
        var unknownOperation = await SendAsync(HttpMethod.Post, "drink", """{"op":"shuffle","value":1}""", first.Endpoint.Token);
        var notJson = await SendAsync(HttpMethod.Put, "drink", "{oops", first.Endpoint.Token);
        var deleteUnknown = await SendAsync(HttpMethod.Delete, "nothing", null, first.Endpoint.Token);
        var refusedUnread = await SendAsync(HttpMethod.Put, "drink", "{oops", "not-a-token");

        Assert.Equal(HttpStatusCode.NotFound, other.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownOperation.Status);
        Assert.Equal("""The body must be {"op": "accum" or "join", "value": ...}.""",
            JsonSerializer.Deserialize<JsonElement>(unknownOperation.Body).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.StartsWith("""{"errors":"The request body is not valid JSON at line 1, position 2""", notJson.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"key not found"}"""), deleteUnknown);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"unknown token"}"""), refusedUnread);
    }

    [Fact]
    public async Task A_command_stores_a_value_that_a_later_stage_of_its_pipeline_reads_through_a_real_relay()
    {
        await Env.WaitForRelayAsync("memo:remember ready");

        var run = await Env.RunAsync("memo:remember hello | memo:recall");
        var later = await Env.RunAsync("memo:recall");

        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal("""[{"recalled":"hello"}]""", JsonSerializer.Serialize(run.GetProperty("output")));
        // Memory is the pipeline's: a new pipeline starts empty (curl -f fails on the 404).
        Assert.Equal("execution_failed", later.GetProperty("status").GetString());
        Assert.Contains("404", later.ToString(), StringComparison.Ordinal);
    }
}
