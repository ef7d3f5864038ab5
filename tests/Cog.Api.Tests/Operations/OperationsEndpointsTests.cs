using System.Net;
using System.Reflection;
using Cog.Runtime.Storage;
using Cog.Api.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cog.Api.Tests.Operations;

public sealed class OperationsEndpointsTests
{
    static CancellationToken Ct => ApiWorld.Ct;

    [Fact]
    public async Task Liveness_answers_200_without_checking_anything()
    {
        await using var world = await ApiWorld.StartAsync(s => s.AddHealthChecks().AddReadinessCheck<FailingCheck>("broker"));

        Assert.Equal((HttpStatusCode.OK, """{"status":"healthy","checks":{},"not_ready":[]}"""),
            await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Get, "/health/live")));
    }

    [Fact]
    public async Task Readiness_answers_200_when_the_store_answers()
    {
        await using var world = await ApiWorld.StartAsync();

        Assert.Equal((HttpStatusCode.OK, """{"status":"healthy","checks":{"store":{"status":"healthy","description":null},"stored_objects":{"status":"healthy","description":null}},"not_ready":[]}"""),
            await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Get, "/health/ready")));
    }

    [Fact]
    public async Task Readiness_answers_503_naming_a_failing_check_the_host_added()
    {
        await using var world = await ApiWorld.StartAsync(s => s.AddHealthChecks().AddReadinessCheck<FailingCheck>("broker"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable,
            """{"status":"unhealthy","checks":{"store":{"status":"healthy","description":null},"stored_objects":{"status":"healthy","description":null},"broker":{"status":"unhealthy","description":"The broker is not running."}},"not_ready":["broker"]}"""),
            await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Get, "/health/ready")));
    }

    [Fact]
    public async Task Readiness_is_degraded_naming_a_stored_rule_that_does_not_load()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = (await world.UserAsync("admin", "operable:manage_commands")).Token;
        Assert.Equal(HttpStatusCode.Created, (await world.JsonAsync(HttpMethod.Post, "/v1/bundles", admin, new { bundle = new { config = ApiWorld.Manifest() } })).Status);
        var command = (await world.Store.Bundles.FindCommandAsync("deploy", "release", Ct))!;
        var rule = (await world.Store.Rules.IngestSiteRuleAsync(command.Id, "when command is deploy:release with arg[0] == /(a)\\1/ allow", Ct)).GetValueOrThrow();
        world.Directory.CatalogChanged();

        Assert.Equal((HttpStatusCode.OK,
            $$$"""{"status":"degraded","checks":{"store":{"status":"healthy","description":null},"stored_objects":{"status":"degraded","description":"Stored objects that could not be loaded are skipped and fail closed (the server log has the errors): rule {{{rule.Id}}}."}},"not_ready":[]}"""),
            await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Get, "/health/ready")));
    }

    [Fact]
    public async Task Readiness_answers_503_when_the_store_does_not_answer()
    {
        await using var world = await ApiWorld.StartAsync(s => s.AddSingleton(DispatchProxy.Create<IStore, UnreachableStore>()));

        Assert.Equal((HttpStatusCode.ServiceUnavailable,
            """{"status":"unhealthy","checks":{"store":{"status":"unhealthy","description":"The store did not answer a query."},"stored_objects":{"status":"healthy","description":null}},"not_ready":["store"]}"""),
            await ApiWorld.ReadAsync(await world.SendAsync(HttpMethod.Get, "/health/ready")));
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_format_with_cogs_and_aspnets_instruments()
    {
        await using var world = await ApiWorld.StartAsync();
        var token = (await world.UserAsync("alice")).Token;
        using var ran = await world.SendAsync(HttpMethod.Post, "/v1/pipelines", token, """{"pipeline": "echo hi"}""");
        Assert.Equal(HttpStatusCode.OK, ran.StatusCode);

        using var response = await world.SendAsync(HttpMethod.Get, "/metrics");
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE cog_pipelines_total counter", text, StringComparison.Ordinal);
        Assert.Contains("cog_pipeline_provider=\"http\"", text, StringComparison.Ordinal);
        Assert.Contains("cog_pipeline_status=\"succeeded\"", text, StringComparison.Ordinal);
        Assert.Contains("cog_pipeline_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    /// <summary>A store whose every member throws, as a database that went away.</summary>
    [Fact]
    public async Task Every_route_answers_503_with_retry_after_and_a_json_error_while_the_store_is_unavailable()
    {
        await using var world = await ApiWorld.StartAsync(s => s.AddSingleton(DispatchProxy.Create<IStore, UnavailableStore>()));

        foreach (var (method, path, json) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/v1/users", null),
            (HttpMethod.Post, "/v1/pipelines", new { pipeline = "echo hi" }),
            (HttpMethod.Post, "/v1/token", new { username = "alice", password = "pw" }),
        })
        {
            using var response = await world.SendAsync(method, path, "some-token", json);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(["5"], response.Headers.GetValues("Retry-After"));
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Equal("""{"errors":"Cog's store is unavailable; nothing was done. Try again shortly."}""", await response.Content.ReadAsStringAsync(Ct));
        }
    }

    public class UnavailableStore : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new StoreUnavailableException(new IOException("connection refused"));
    }

    public class UnreachableStore : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new IOException("database unreachable");
    }

    sealed class FailingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Unhealthy("The broker is not running."));
    }
}
