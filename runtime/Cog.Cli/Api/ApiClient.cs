using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Cli.Remote;

namespace Cog.Cli.Api;

/// <summary>
/// Talks to the Cog REST API (api-contract.md): logs in once with <c>POST /v1/token</c>, sends
/// <c>Authorization: token …</c> on every later request, and turns every answer into an <see cref="ApiResult"/>
/// (the content of the named envelope, or a failure with cogctl's exit code). One instance per cogctl run; the token
/// lives only as long as the process.
/// </summary>
sealed class ApiClient(HttpClient http, Uri baseUrl, string? user, string? password, TextWriter? trace)
{
    string? _token;

    /// <summary>The API's base URL as given (for messages).</summary>
    public string BaseUrl { get; } = baseUrl.ToString().TrimEnd('/');

    public Task<ApiResult> GetAsync(string path, string? envelope, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, envelope, authenticate: true, cancellationToken);

    public Task<ApiResult> PostAsync(string path, JsonNode? body, string? envelope, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, Json(body ?? new JsonObject()), envelope, authenticate: true, cancellationToken);

    public Task<ApiResult> PutAsync(string path, JsonNode body, string? envelope, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, Json(body), envelope, authenticate: true, cancellationToken);

    public Task<ApiResult> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, null, authenticate: true, cancellationToken);

    /// <summary>Sends one request. <paramref name="envelope"/> names the top-level property whose value is the result
    /// (null: the whole body, or nothing for 204).</summary>
    public async Task<ApiResult> SendAsync(HttpMethod method, string path, HttpContent? content, string? envelope, bool authenticate, CancellationToken cancellationToken)
    {
        if (authenticate && _token is null)
        {
            var login = await LoginAsync(cancellationToken);
            if (!login.Ok)
            {
                return login;
            }
        }
        using var request = new HttpRequestMessage(method, BaseUrl + path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (authenticate)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("token", _token);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return ApiResult.Fail(ApiErrors.CannotConnect(BaseUrl, e.Message), ExitCodes.CannotConnect);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult.Fail(ApiErrors.TimedOut(BaseUrl, (int)http.Timeout.TotalSeconds), ExitCodes.CannotConnect);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            trace?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method} {BaseUrl}{path} -> {status}"));
            var body = ParseBody(text);
            if (response.IsSuccessStatusCode)
            {
                if (envelope is null)
                {
                    return new ApiResult(status, body, null);
                }
                return body is JsonObject obj && obj.TryGetPropertyValue(envelope, out var inner)
                    ? new ApiResult(status, inner, null)
                    : ApiResult.Fail(ApiErrors.MissingEnvelope(envelope), ExitCodes.ServerRefused, status);
            }
            var message = ServerMessage.From(body)
                ?? (response.StatusCode == HttpStatusCode.Unauthorized ? ApiErrors.Unauthenticated : ApiErrors.Status(status, response.ReasonPhrase));
            var exitCode = response.StatusCode == HttpStatusCode.Unauthorized ? ExitCodes.Unauthorized : ExitCodes.ServerRefused;
            return ApiResult.Fail(message, exitCode, status);
        }
    }

    /// <summary>Gets a fresh token (<c>cogctl token</c>) and keeps it for later requests.</summary>
    public async Task<ApiResult> LoginAsync(CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["username"] = user, ["password"] = password };
        var result = await SendAsync(HttpMethod.Post, "/v1/token", Json(body), "token", authenticate: false, cancellationToken);
        if (!result.Ok)
        {
            // Bad credentials are a 403 "Invalid credentials": still an authentication failure.
            return result.Status is 401 or 403 ? result with { Failure = result.Failure! with { ExitCode = ExitCodes.Unauthorized } } : result;
        }
        _token = Fields.Str(result.Content, "value");
        return _token is null ? ApiResult.Fail(ApiErrors.MissingEnvelope("token.value"), ExitCodes.ServerRefused, result.Status) : result;
    }

    static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    static JsonNode? ParseBody(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One path segment (a name or id), escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
