using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Slack.SocketMode;

/// <summary>One Socket Mode WebSocket: connects to a single-use URL, waits for
/// <c>hello</c>, then reads frames until it closes. Every envelope is acknowledged on this same socket BEFORE it is
/// handed on; <c>disconnect</c> frames and the socket's end are reported to the supervisor as
/// <see cref="ConnectionSignal"/>s. Liveness: WebSocket pings every <see cref="SlackOptions.KeepAliveInterval"/>, and a
/// pong missing for <see cref="SlackOptions.KeepAliveTimeout"/> aborts the socket (a half-open socket is detected).</summary>
/// <remarks>One writer at a time (ClientWebSocket allows one pending send): acknowledgements and the close go through a
/// lock.</remarks>
sealed class SocketConnection : IAsyncDisposable
{
    readonly ClientWebSocket _socket;
    readonly SlackOptions _options;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly ChannelWriter<ConnectionSignal> _signals;
    readonly Func<SocketEnvelope, ValueTask> _onEnvelope;
    readonly SemaphoreSlim _sendLock = new(1, 1);
    readonly TaskCompletionSource<int> _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    Task _receiving = Task.CompletedTask;
    int _closing;

    SocketConnection(int number, ClientWebSocket socket, SlackOptions options, TimeProvider time, ILogger logger,
        ChannelWriter<ConnectionSignal> signals, Func<SocketEnvelope, ValueTask> onEnvelope)
    {
        Number = number;
        _socket = socket;
        _options = options;
        _time = time;
        _logger = logger;
        _signals = signals;
        _onEnvelope = onEnvelope;
    }

    /// <summary>1 for the first connection of the provider, then 2, 3...</summary>
    public int Number { get; }

    /// <summary>Connects and waits for <c>hello</c>; returns the live connection and the number of connections Slack
    /// reports. Throws <see cref="SocketOpenException"/> when the handshake fails or no hello comes in time.</summary>
    public static async Task<(SocketConnection Connection, int Count)> OpenAsync(int number, Uri url, SlackOptions options, TimeProvider time,
        ILogger logger, ChannelWriter<ConnectionSignal> signals, Func<SocketEnvelope, ValueTask> onEnvelope, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = options.KeepAliveTimeout;
        using (var timeout = new CancellationTokenSource(options.HelloTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                await socket.ConnectAsync(url, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                throw new SocketOpenException(e is OperationCanceledException ? "the WebSocket handshake timed out" : "the WebSocket handshake failed: " + e.Message);
            }
        }
        var connection = new SocketConnection(number, socket, options, time, logger, signals, onEnvelope);
        connection._receiving = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        try
        {
            var count = await connection._hello.Task.WaitAsync(options.HelloTimeout, time, cancellationToken).ConfigureAwait(false);
            return (connection, count);
        }
        catch (Exception e) when (e is TimeoutException or SocketOpenException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw e as SocketOpenException ?? new SocketOpenException($"no hello within {options.HelloTimeout.TotalSeconds:0.###} s");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        var reason = "closed";
        try
        {
            while (true)
            {
                message.Clear();
                var tooLarge = false;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        reason = $"closed by Slack ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})".Replace(" )", ")", StringComparison.Ordinal);
                        return;
                    }
                    if (!tooLarge && message.WrittenCount + received.Count <= _options.MaxFrameBytes)
                        message.Write(buffer.AsSpan(0, received.Count));
                    else
                        tooLarge = true;
                }
                while (!received.EndOfMessage);

                if (received.MessageType != WebSocketMessageType.Text)
                    SlackLog.FrameDropped(_logger, Number, "a binary frame");
                else if (tooLarge)
                    SlackLog.FrameDropped(_logger, Number, $"larger than {_options.MaxFrameBytes} bytes");
                else
                    await HandleFrameAsync(message.WrittenMemory).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            reason = Volatile.Read(ref _closing) == 1 ? "closed" : e.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _hello.TrySetException(new SocketOpenException("the socket closed before hello: " + reason));
            _signals.TryWrite(new ClosedSignal(this, reason));
        }
    }

    async Task HandleFrameAsync(ReadOnlyMemory<byte> frame)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(frame);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            SlackLog.FrameDropped(_logger, Number, "not JSON");
            return;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            SlackLog.FrameDropped(_logger, Number, "not a JSON object");
            return;
        }
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (root.TryGetProperty("envelope_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } envelopeId)
        {
            // Acknowledge first: Slack redelivers what is not acknowledged within 3 s, whatever the
            // work costs. Duplicates and envelopes we do not use are acknowledged too.
            if (!await AcknowledgeAsync(envelopeId).ConfigureAwait(false))
                return;
            var payload = root.TryGetProperty("payload", out var p) ? p : default;
            var attempt = root.TryGetProperty("retry_attempt", out var r) && r.TryGetInt32(out var n) ? n : 0;
            await _onEnvelope(new SocketEnvelope(envelopeId, type, payload, attempt, Number)).ConfigureAwait(false);
            return;
        }
        switch (type)
        {
            case "hello":
                _hello.TrySetResult(root.TryGetProperty("num_connections", out var count) && count.TryGetInt32(out var c) ? c : 1);
                break;
            case "disconnect":
                _signals.TryWrite(new DisconnectSignal(this,
                    root.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString()! : "unknown"));
                break;
            default:
                SlackLog.FrameDropped(_logger, Number, type.Length == 0 ? "no type" : $"unknown type '{type}'");
                break;
        }
    }

    async Task<bool> AcknowledgeAsync(string envelopeId)
    {
        var ack = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new AckFrame(envelopeId), SocketJson.Default.AckFrame));
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(ack, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is going; Slack will redeliver the envelope on another connection.
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes gracefully (1000), gives Slack <see cref="SlackOptions.CloseTimeout"/> to answer, then aborts and
    /// releases the socket. Never throws.</summary>
    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            await DisposeAsync().ConfigureAwait(false);
            return;
        }
        using (var timeout = new CancellationTokenSource(_options.CloseTimeout, _time))
        {
            try
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
                await _receiving.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A close that fails or hangs ends in an abort; nothing to report.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Aborts the socket and waits for its receive loop.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _closing, 1);
        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}

/// <summary>A Socket Mode connection could not be opened (handshake refused, no hello); the supervisor retries.</summary>
sealed class SocketOpenException(string message) : Exception(message)
{
    public SocketOpenException() : this("The Socket Mode connection could not be opened.") { }

    public SocketOpenException(string message, Exception innerException) : this(message + " " + innerException.Message) { }
}

/// <summary>An acknowledgement frame: the envelope id alone (events carry no response payload).</summary>
sealed record AckFrame([property: System.Text.Json.Serialization.JsonPropertyName("envelope_id")] string EnvelopeId);

[System.Text.Json.Serialization.JsonSerializable(typeof(AckFrame))]
sealed partial class SocketJson : System.Text.Json.Serialization.JsonSerializerContext;
