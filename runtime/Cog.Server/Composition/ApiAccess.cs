using System.Security.Cryptography;
using System.Text;
using Cog.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>Who the API believes and who may scrape it: forwarded headers from trusted reverse proxies only
/// (<see cref="ApiOptions.TrustedProxies"/>) and the protection of <c>GET /metrics</c> (<see cref="MetricsOptions"/>).</summary>
static class ApiAccess
{
    /// <summary>The path of the Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Believes <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> from the trusted proxies only, walking the
    /// chain of proxies from the nearest one back to the first untrusted address. ASP.NET Core's defaults (loopback
    /// trusted) are cleared: with no trusted proxy configured, the headers are ignored.</summary>
    public static void AddForwardedHeaders(IServiceCollection services, IEnumerable<string> trustedProxies)
    {
        var networks = Networks(trustedProxies);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.ForwardLimit = null;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
                options.KnownIPNetworks.Add(network);
        });
    }

    /// <summary>Applies the forwarded headers when any proxy is trusted.</summary>
    public static void UseForwardedHeaders(WebApplication app, IEnumerable<string> trustedProxies)
    {
        if (trustedProxies.Any())
            app.UseForwardedHeaders();
    }

    /// <summary>Answers <c>GET /metrics</c> only to a scrape with the configured bearer token (else 401) from an allowed
    /// network (else 403); open when neither is configured.</summary>
    public static void UseMetricsAccess(WebApplication app, MetricsOptions options, ILogger logger)
    {
        var token = options.TokenFile is { } file ? File.ReadAllText(file).Trim() : options.Token;
        var expected = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes("Bearer " + token);
        var networks = Networks(options.AllowedNetworks);
        if (expected is null && networks.Count == 0)
            return;
        app.UseWhen(static context => context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase), branch => branch.Use(async (context, next) =>
        {
            var address = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
            if (networks.Count > 0 && (address is null || !networks.Any(n => n.Contains(address))))
            {
                ServerLog.MetricsRefused(logger, address?.ToString() ?? "unknown", "not in Cog:Metrics:AllowedNetworks");
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            if (expected is not null
                && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), expected))
            {
                ServerLog.MetricsRefused(logger, address?.ToString() ?? "unknown", "no or wrong bearer token");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }
            await next(context).ConfigureAwait(false);
        }));
    }

    static List<System.Net.IPNetwork> Networks(IEnumerable<string> texts) =>
        [.. texts.Select(static text => ServerOptionsValidator.TryParseNetwork(text, out var network)
            ? network
            : throw new InvalidOperationException($"'{text}' is not an IP address or network (checked at start)."))];
}
