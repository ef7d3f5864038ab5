using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cog.Testing.Slack;

/// <summary>One Socket Mode connection the fake accepted.</summary>
public sealed class FakeSocket
{
    readonly WebSocket _socket;
    readonly HttpContext _context;
    readonly SemaphoreSlim _sendLock = new(1, 1);
    int _open = 1;

    internal FakeSocket(int number, WebSocket socket, HttpContext context)
    {
        Number = number;
        _socket = socket;
        _context = context;
    }

    /// <summary>1 for the first socket accepted, then 2, 3...</summary>
    public int Number { get; }

    /// <summary>Whether the socket is still open (not closed nor dropped).</summary>
    public bool IsOpen => Volatile.Read(ref _open) == 1 && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    /// <summary>Whether the hello frame was sent.</summary>
    public bool SaidHello { get; internal set; }

    internal WebSocket WebSocket => _socket;

    internal void MarkClosed() => Volatile.Write(ref _open, 0);

    /// <summary>Sends a text frame; false when the socket is gone.</summary>
    public Task<bool> SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends a binary frame (clients must ignore it).</summary>
    public Task<bool> SendBinaryAsync(byte[] bytes) => SendAsync(bytes, WebSocketMessageType.Binary);

    async Task<bool> SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!IsOpen)
                return false;
            await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes with a close frame (<paramref name="status"/>), as Slack does after a refresh.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(status, "", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
        MarkClosed();
    }

    /// <summary>Drops the connection abruptly: no close frame, the TCP connection is reset.</summary>
    public void Drop()
    {
        if (Interlocked.Exchange(ref _open, 0) == 0)
            return;
        _socket.Abort();
        try
        {
            _context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request already ended.
        }
    }
}
