using System.Buffers;
using System.Net.WebSockets;
using Cog.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cog.Web.Chat;

/// <summary>The web chat's WebSocket endpoint: same-origin only, signed in by the first frame (the API token; never in
/// the URL), then <c>send</c> frames in and <c>message</c> frames out (docs/web-console.md, "Chat protocol").</summary>
sealed class WebChatEndpoint(WebChatProvider provider, WebConsoleOptions options, ILogger<WebChatEndpoint> logger)
{
    /// <summary>The route.</summary>
    public const string Path = "/console/chat";

    /// <summary>The largest frame a browser may send.</summary>
    internal const int MaxFrameBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        // Browsers always send Origin with a WebSocket handshake; another site's page must not ride on a person's session.
        if (!IsSameOrigin(context.Request))
        {
            WebChatLog.Refused(logger, "cross-origin handshake");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var aborted = context.RequestAborted;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxFrameBytes);
        try
        {
            var session = await SignInAsync(socket, buffer, aborted);
            if (session is null)
                return;
            try
            {
                await ReadAsync(socket, session, buffer, aborted);
            }
            finally
            {
                provider.Disconnect(session);
                await session.Writer;
                await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "", session.IsEnded && socket.State == WebSocketState.Aborted);
            }
        }
        catch (WebSocketException)
        {
            // The browser went away.
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    async Task<WebChatSession?> SignInAsync(WebSocket socket, byte[] buffer, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(options.AuthenticationTimeout);
        FrameRead read;
        try
        {
            read = await ReadFrameAsync(socket, buffer, timeout.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            await RefuseAsync(socket, WebChatMessages.AuthenticationTimedOut, aborted);
            return null;
        }
        if (read.Closed)
            return null;
        if (read.TooLarge || ClientFrame.Parse(buffer.AsSpan(0, read.Count)) is not { Type: "auth", Token: { Length: > 0 } token })
        {
            await RefuseAsync(socket, WebChatMessages.AuthenticationRequired, aborted);
            return null;
        }
        var (user, expiresAt, refusal) = await provider.AuthenticateAsync(token, aborted);
        if (user is null)
        {
            await RefuseAsync(socket, refusal!, aborted);
            return null;
        }
        return await provider.ConnectAsync(user, expiresAt,
            (frame, ct) => socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct),
            socket.Abort, aborted);
    }

    async Task ReadAsync(WebSocket socket, WebChatSession session, byte[] buffer, CancellationToken aborted)
    {
        while (!session.IsEnded)
        {
            var read = await ReadFrameAsync(socket, buffer, aborted);
            if (read.Closed)
                return;
            if (read.TooLarge)
            {
                session.TryEnqueue(ChatFrames.Error(WebChatMessages.TooLong(options.MaxMessageLength)));
                continue;
            }
            var frame = ClientFrame.Parse(buffer.AsSpan(0, read.Count));
            var refusal = frame switch
            {
                null => WebChatMessages.NotAFrame,
                { Type: "send" } => await provider.ReceiveAsync(session, frame, aborted),
                _ => WebChatMessages.UnknownFrame(frame.Type),
            };
            if (refusal is not null)
                session.TryEnqueue(ChatFrames.Error(refusal, frame?.ClientId));
            if (ReferenceEquals(refusal, WebChatMessages.TokenExpired))
                return;
        }
    }

    readonly record struct FrameRead(int Count, bool Closed, bool TooLarge);

    /// <summary>One whole text frame into <paramref name="buffer"/>; a larger one is read to its end and reported.</summary>
    static async Task<FrameRead> ReadFrameAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        var tooLarge = false;
        while (true)
        {
            var segment = count < MaxFrameBytes ? buffer.AsMemory(count, MaxFrameBytes - count) : buffer.AsMemory(0, MaxFrameBytes);
            var result = await socket.ReceiveAsync(segment, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return new FrameRead(0, Closed: true, TooLarge: false);
            if (count < MaxFrameBytes)
                count += result.Count;
            if (count >= MaxFrameBytes && !result.EndOfMessage)
                tooLarge = true;
            if (result.EndOfMessage)
                return new FrameRead(count, Closed: false, tooLarge);
        }
    }

    async Task RefuseAsync(WebSocket socket, string message, CancellationToken cancellationToken)
    {
        WebChatLog.Refused(logger, message);
        if (socket.State != WebSocketState.Open)
            return;
        await socket.SendAsync(ChatFrames.Error(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "unauthorized", aborted: false);
    }

    static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, bool aborted)
    {
        if (aborted || socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(status, reason, limit.Token);
        }
        catch (WebSocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            return false;
        var expected = request.Scheme == "https" ? "https" : "http";
        return string.Equals(uri.Scheme, expected, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
