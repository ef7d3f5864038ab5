using Microsoft.AspNetCore.Http;

namespace Cog.Api.Triggers;

/// <summary>Recognises a request that a page of another site made a browser send (cross-site request forgery): one
/// whose <c>Origin</c> header is not the server's own origin (scheme, host and port), or whose
/// <c>Sec-Fetch-Site</c> is <c>cross-site</c> or <c>same-site</c>.</summary>
/// <remarks>
/// <para>The server's own origin is that of the configured public URL when there is one (the base of the triggers'
/// <c>invocation_url</c>), else that of the request itself.</para>
/// <para>Any foreign <c>Origin</c> counts, whatever the content type: a form (<c>application/x-www-form-urlencoded</c>,
/// <c>multipart/form-data</c>, <c>text/plain</c>) needs no CORS preflight, and a JSON post from another site would need
/// a CORS grant the server never gives, so refusing it too costs nothing and keeps one rule. <c>Origin: null</c>
/// (sandboxed frames, local files) is foreign. Requests without these headers — webhook senders, scripts, servers — are
/// not cross-origin: browsers always send <c>Origin</c> with a cross-origin POST.</para>
/// <para>Pure; thread-safe.</para>
/// </remarks>
static class CrossOriginRequests
{
    /// <summary>Why <paramref name="request"/> is cross-origin (<c>Origin: http://evil.example</c>,
    /// <c>Sec-Fetch-Site: cross-site</c>), or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="publicBase">The configured public URL, or <see langword="null"/> to take the request's own.</param>
    public static string? Describe(HttpRequest request, Uri? publicBase)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase))
            return "Sec-Fetch-Site: " + fetchSite;
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
            return null;
        var origin = origins.ToString();
        return origins.Count == 1 && IsServerOrigin(origin, request, publicBase) ? null : "Origin: " + origin;
    }

    static bool IsServerOrigin(string origin, HttpRequest request, Uri? publicBase)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var claimed) || claimed.Scheme is not ("http" or "https"))
            return false;
        var own = publicBase;
        if (own is null && !Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out own))
            return false;
        return string.Equals(claimed.Scheme, own.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(claimed.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase)
            && claimed.Port == own.Port;
    }
}
