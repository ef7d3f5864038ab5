using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cog.Integration.Tests.Support;

/// <summary>JSON requests to a Cog server's REST API with <c>Authorization: token</c>, shared by the in-process server
/// (<see cref="Server.ServerEnvironment"/>) and the server run as a child process (<see cref="Faults.FaultWorld"/>).</summary>
static class ApiRequests
{
    /// <summary>Sends a JSON request and reads the JSON answer (default when the answer is empty).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body,
        string? token, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, body, token);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A request with a JSON body (when given) and the API token (when given).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, object? body, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        return request;
    }

    /// <summary>A fresh API token for a user (<c>POST /v1/token</c>).</summary>
    public static async Task<string> TokenAsync(HttpClient http, string username, string password, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(http, HttpMethod.Post, "/v1/token", new { username, password }, token: null, cancellationToken);
        Assert.True(status == HttpStatusCode.Created, $"POST /v1/token answered {(int)status}: {body}");
        return body.GetProperty("token").GetProperty("value").GetString()!;
    }
}
