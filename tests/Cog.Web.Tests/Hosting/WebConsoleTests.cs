using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cog.Web.Tests.Browser;

namespace Cog.Web.Tests.Hosting;

/// <summary>The console's files and its chat endpoint over plain HTTP and WebSocket, against the whole server.</summary>
public class WebConsoleTests(ConsoleWorld world)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/", "text/html; charset=utf-8")]
    [InlineData("/index.html", "text/html; charset=utf-8")]
    [InlineData("/js/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/css/console.css", "text/css; charset=utf-8")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task Console_files_are_served_with_strict_security_headers(string path, string contentType)
    {
        using var response = await world.Http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; manifest-src 'self'; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task An_unchanged_file_is_answered_not_modified()
    {
        using var first = await world.Http.GetAsync("/js/app.js", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/js/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await world.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task The_console_has_no_inline_script_or_style()
    {
        var html = await world.Http.GetStringAsync("/", Ct);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\"></script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_paths_and_the_api_are_not_the_consoles()
    {
        using var missing = await world.Http.GetAsync("/js/missing.js", Ct);
        using var api = await world.Http.GetAsync("/v1/users", Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_chat_handshake_from_another_origin_is_refused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(ChatUri(), Ct));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_handshake_without_an_origin_is_refused()
    {
        using var socket = new ClientWebSocket();

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(ChatUri(), Ct));
    }

    [Theory]
    [InlineData("{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi\"}", "The first frame must be {\"type\":\"auth\",\"token\":\"…\"}.")]
    [InlineData("not json", "The first frame must be {\"type\":\"auth\",\"token\":\"…\"}.")]
    [InlineData("{\"type\":\"auth\",\"token\":\"wrong\"}", "The token is not valid: sign in again.")]
    public async Task A_connection_is_refused_and_closed_unless_its_first_frame_carries_a_valid_token(string first, string message)
    {
        using var socket = await ConnectAsync();

        await SendAsync(socket, first);

        var frame = await ReceiveAsync(socket);
        Assert.Equal("error", frame.GetProperty("type").GetString());
        Assert.Equal(message, frame.GetProperty("message").GetString());
        var buffer = new byte[1024];
        var close = await socket.ReceiveAsync(buffer, Ct);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }

    [Fact]
    public async Task A_signed_in_connection_gets_its_rooms_then_refusals_for_bad_frames()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, JsonSerializer.Serialize(new { type = "auth", token = world.AdminToken }));

        var ready = await ReceiveAsync(socket);
        Assert.Equal("ready", ready.GetProperty("type").GetString());
        Assert.Equal(["dm:" + world.AdminUsername, "general"], ready.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        await SendAsync(socket, "{\"type\":\"wave\"}");
        Assert.Equal("Unknown frame type 'wave'.", (await ReceiveAsync(socket)).GetProperty("message").GetString());
        await SendAsync(socket, "[1]");
        Assert.Equal("A frame must be a JSON object with a string \"type\".", (await ReceiveAsync(socket)).GetProperty("message").GetString());
        await SendAsync(socket, "{\"type\":\"send\",\"room\":\"nowhere\",\"text\":\"hi\",\"client_id\":\"c7\"}");
        var refused = await ReceiveAsync(socket);
        Assert.Equal("There is no room 'nowhere' here.", refused.GetProperty("message").GetString());
        Assert.Equal("c7", refused.GetProperty("client_id").GetString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", Ct);
    }

    Uri ChatUri() => new UriBuilder(world.Url) { Scheme = "ws", Path = "/console/chat" }.Uri;

    async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", world.Url.GetLeftPart(UriPartial.Authority));
        await socket.ConnectAsync(ChatUri(), Ct);
        return socket;
    }

    static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, Ct);

    static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), Ct);
            count += result.Count;
            if (result.EndOfMessage)
                return JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
        }
    }
}
