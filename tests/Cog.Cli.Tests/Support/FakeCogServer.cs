using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Cli.Tests.Support;

/// <summary>One request the fake server received.</summary>
sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string? ContentType, string Body);

/// <summary>
/// A stand-in for the Cog API on loopback (Kestrel, port 0): records every request and answers from canned responses
/// keyed by "METHOD /path?query". <c>POST /v1/token</c> answers a token unless told otherwise; anything else without
/// a canned answer is a 404 <c>{"errors":"no canned answer"}</c>.
/// </summary>
sealed class FakeCogServer : IAsyncDisposable
{
    public const string Token = "t0k3n";
    readonly WebApplication _app;
    readonly ConcurrentDictionary<string, (int Status, string? Body)> _answers = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<RecordedRequest> _requests = new();
    readonly ConcurrentDictionary<string, Task> _holds = new(StringComparer.Ordinal);

    FakeCogServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Answer("POST", "/v1/token", 201, """{"token":{"value":"t0k3n"}}""");
    }

    public string Url { get; }

    /// <summary>Every request except the login, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.Where(r => r.PathAndQuery != "/v1/token")];

    /// <summary>Every request, the login included.</summary>
    public IReadOnlyList<RecordedRequest> AllRequests => [.. _requests];

    public static async Task<FakeCogServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeCogServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeCogServer(app, address);
        return server;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="pathAndQuery"/> with a status and JSON body (null: empty).</summary>
    public FakeCogServer Answer(string method, string pathAndQuery, int status, string? body = null)
    {
        _answers[$"{method} {pathAndQuery}"] = (status, body);
        return this;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="pathAndQuery"/> only once <paramref name="release"/>
    /// completes: a request that takes as long as the test wants (a long pipeline).</summary>
    public FakeCogServer Hold(string method, string pathAndQuery, Task release)
    {
        _holds[$"{method} {pathAndQuery}"] = release;
        return this;
    }

    async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var pathAndQuery = context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method, pathAndQuery, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.ContentType, body));
        if (_holds.TryGetValue($"{context.Request.Method} {pathAndQuery}", out var hold))
        {
            await hold.WaitAsync(context.RequestAborted);
        }
        if (!_answers.TryGetValue($"{context.Request.Method} {pathAndQuery}", out var answer))
        {
            answer = (404, """{"errors":"no canned answer"}""");
        }
        context.Response.StatusCode = answer.Status;
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
