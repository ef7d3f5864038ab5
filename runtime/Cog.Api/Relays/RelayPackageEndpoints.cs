using System.Net.Http.Headers;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Api.Relays;

/// <summary>The download of bundle packages by relays (docs/protocol.md §7):
/// <c>GET /v1/relays/{relayId}/packages/{bundle}/{version}</c> with HTTP basic authentication (relay id and token).</summary>
/// <remarks>
/// <para>Needs <see cref="IRelayCredentialStore"/> and <see cref="IRelayPackageSource"/> in the host's services (an
/// <see cref="ILoggerFactory"/> is used when present).</para>
/// <para>Answers: <c>401</c> with <c>WWW-Authenticate: Basic realm="cog-relays"</c> for missing, malformed or wrong
/// credentials and unknown relays (one answer for all, taking the same time: the token is checked against a hash in
/// constant time, and against nothing for an unknown relay); <c>403</c> for a disabled relay, a relay asking for
/// another relay's URL, or a bundle version not assigned to it; <c>404</c> when there is no such package; <c>200</c>
/// with the bytes, <c>Content-Type</c> <c>application/zip</c> (archive) or <c>application/yaml</c> (manifest),
/// <c>Content-Length</c>, <c>ETag</c> = the quoted digest and <c>Repr-Digest</c> (RFC 9530, SHA-256). Errors are
/// problem details (RFC 9457).</para>
/// </remarks>
public static class RelayPackageEndpoints
{
    /// <summary>The route pattern.</summary>
    public const string Route = "/v1/relays/{relayId}/packages/{bundle}/{version}";

    /// <summary>The basic-authentication realm in <c>WWW-Authenticate</c>.</summary>
    public const string Realm = "cog-relays";

    /// <summary>Maps <see cref="Route"/> onto <paramref name="endpoints"/>.</summary>
    /// <returns>The endpoint's builder, for further conventions.</returns>
    public static IEndpointConventionBuilder MapRelayPackageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(Route, HandleAsync).WithName("GetRelayPackage");
    }

    static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var credentials = services.GetRequiredService<IRelayCredentialStore>();
        var packages = services.GetRequiredService<IRelayPackageSource>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(RelayPackageEndpoints).FullName!) ?? NullLogger.Instance;
        var routeRelayId = (string)context.Request.RouteValues["relayId"]!;
        var bundle = (string)context.Request.RouteValues["bundle"]!;
        var version = (string)context.Request.RouteValues["version"]!;
        var endpoint = context.Connection.RemoteIpAddress is { } address ? $"{address}:{context.Connection.RemotePort}" : "?";
        var cancellationToken = context.RequestAborted;

        if (!TryReadBasic(context.Request.Headers.Authorization, out var relayId, out var token) || !Topics.IsValidRelayId(relayId))
        {
            RelayToken.VerifyNothing(token);
            RelayPackageLog.Refused(logger, endpoint, "no valid relay credentials.");
            await UnauthorizedAsync(context);
            return;
        }
        var credential = await credentials.FindAsync(relayId, cancellationToken);
        if (credential is null)
        {
            RelayToken.VerifyNothing(token);
            RelayPackageLog.Refused(logger, endpoint, $"no such relay {relayId}.");
            await UnauthorizedAsync(context);
            return;
        }
        if (!RelayToken.Verify(token, credential.TokenHash))
        {
            RelayPackageLog.Refused(logger, endpoint, $"wrong token for relay {relayId}.");
            await UnauthorizedAsync(context);
            return;
        }
        if (!credential.Enabled)
        {
            await RefuseAsync(context, logger, endpoint, StatusCodes.Status403Forbidden, RelayPackageErrors.Disabled(relayId));
            return;
        }
        if (!string.Equals(relayId, routeRelayId, StringComparison.Ordinal))
        {
            await RefuseAsync(context, logger, endpoint, StatusCodes.Status403Forbidden, RelayPackageErrors.OtherRelay(relayId, routeRelayId));
            return;
        }

        var lookup = await packages.FindAsync(relayId, bundle, version, cancellationToken);
        switch (lookup.Status)
        {
            case RelayPackageStatus.NotFound:
                await RefuseAsync(context, logger, endpoint, StatusCodes.Status404NotFound, RelayPackageErrors.NotFound(bundle, version));
                return;
            case RelayPackageStatus.NotAssigned:
                await RefuseAsync(context, logger, endpoint, StatusCodes.Status403Forbidden, RelayPackageErrors.NotAssigned(bundle, version, relayId));
                return;
        }

        var package = lookup.Package!;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = package.Format == PackageFormat.Archive ? "application/zip" : "application/yaml";
        response.ContentLength = package.Size;
        response.Headers.ETag = $"\"{package.Digest}\"";
        if (ReprDigest(package.Digest) is { } reprDigest)
            response.Headers["Repr-Digest"] = reprDigest;
        response.Headers.XContentTypeOptions = "nosniff";
        var stream = await package.OpenReadAsync(cancellationToken);
        await using (stream)
            await stream.CopyToAsync(response.Body, cancellationToken);
        RelayPackageLog.Served(logger, relayId, bundle, version, package.Size);
    }

    /// <summary>Reads <c>Basic base64(id:token)</c>. The token is <see langword="null"/> unless the header is well formed.</summary>
    internal static bool TryReadBasic(string? header, out string relayId, out string? token)
    {
        relayId = "";
        token = null;
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is not { Length: > 0 } parameter)
            return false;
        var bytes = new byte[(parameter.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
            return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (ArgumentException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return false;
        relayId = text[..colon];
        token = text[(colon + 1)..];
        return true;
    }

    /// <summary><c>sha-256=:BASE64:</c> for a protocol digest (<c>sha256:</c> and 64 hexadecimal digits).</summary>
    static string? ReprDigest(string digest)
    {
        const string Prefix = "sha256:";
        if (!digest.StartsWith(Prefix, StringComparison.Ordinal) || digest.Length != Prefix.Length + 64)
            return null;
        try
        {
            return $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(digest.AsSpan(Prefix.Length)))}:";
        }
        catch (FormatException)
        {
            return null;
        }
    }

    static Task UnauthorizedAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        return Results.Problem(RelayPackageErrors.Unauthorized, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }

    static Task RefuseAsync(HttpContext context, ILogger logger, string endpoint, int status, string detail)
    {
        RelayPackageLog.Refused(logger, endpoint, detail);
        return Results.Problem(detail, statusCode: status).ExecuteAsync(context);
    }
}
