using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Tests.Bundles;

/// <summary>A loopback HTTP server (Kestrel, a free port) standing in for the Cog server's package endpoint
/// (protocol §7): it checks basic authentication, serves the packages it was given, answers a chosen status for others,
/// and counts requests.</summary>
sealed class PackageServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentDictionary<string, byte[]> _packages = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    readonly string _authorization;

    PackageServer(WebApplication app, string relayId, string token)
    {
        _app = app;
        _authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(relayId + ":" + token));
    }

    /// <summary>The server's origin, <c>http://127.0.0.1:port</c>.</summary>
    public Uri Origin { get; private set; } = null!;

    /// <summary>Every request, whatever its path.</summary>
    public int TotalRequests => _requests.Values.Sum();

    public static async Task<PackageServer> StartAsync(string relayId, string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new PackageServer(app, relayId, token);
        app.Run(server.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Origin = new Uri(address);
        return server;
    }

    /// <summary>Serves <paramref name="package"/> at <paramref name="path"/> from now on.</summary>
    public Uri Serve(string path, byte[] package)
    {
        _statuses.TryRemove(path, out _);
        _packages[path] = package;
        return Url(path);
    }

    /// <summary>Answers <paramref name="status"/> at <paramref name="path"/> from now on.</summary>
    public Uri Fail(string path, int status)
    {
        _statuses[path] = status;
        return Url(path);
    }

    public Uri Url(string path) => new(Origin, path);

    public int Requests(string path) => _requests.GetValueOrDefault(path);

    async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (context.Request.Headers.Authorization != _authorization)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (_statuses.TryGetValue(path, out var status))
        {
            context.Response.StatusCode = status;
            return;
        }
        if (!_packages.TryGetValue(path, out var package))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = path.EndsWith(".yaml", StringComparison.Ordinal) ? "application/yaml" : "application/zip";
        context.Response.ContentLength = package.Length;
        await context.Response.Body.WriteAsync(package, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
