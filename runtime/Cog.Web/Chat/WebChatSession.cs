using System.Threading.Channels;
using Cog.Runtime.Chat;

namespace Cog.Web.Chat;

/// <summary>One signed-in browser connection: who it is, and its own bounded queue of frames to send, drained by its own
/// writer, so a slow or dead browser never holds up the others.</summary>
/// <remarks>Thread-safe: any thread may <see cref="TryEnqueue"/>; one writer sends.</remarks>
sealed class WebChatSession
{
    readonly Channel<byte[]> _queue;
    readonly Func<byte[], CancellationToken, Task> _send;
    readonly Action _abort;
    readonly CancellationTokenSource _closed = new();
    int _ended;

    public WebChatSession(long id, ChatUser user, ChatRoom direct, DateTimeOffset expiresAt, int queueLimit,
        Func<byte[], CancellationToken, Task> send, Action abort)
    {
        Id = id;
        User = user;
        Direct = direct;
        ExpiresAt = expiresAt;
        _send = send;
        _abort = abort;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Writer = WriteAsync();
    }

    public long Id { get; }

    /// <summary>The person (id and handle = the Cog username).</summary>
    public ChatUser User { get; }

    /// <summary>The person's direct conversation with Cog.</summary>
    public ChatRoom Direct { get; }

    /// <summary>When the token the session was opened with expires; frames after it are refused.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The writer: ends when the session ends.</summary>
    public Task Writer { get; }

    /// <summary>Whether the session was ended.</summary>
    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Queues a frame; <see langword="false"/> when the queue is full (the session is too slow) or ended.</summary>
    public bool TryEnqueue(byte[] frame) => !IsEnded && _queue.Writer.TryWrite(frame);

    /// <summary>Whether the session may see <paramref name="roomId"/>.</summary>
    public bool Sees(string roomId, bool shared) => shared || string.Equals(roomId, Direct.Id, StringComparison.Ordinal);

    /// <summary>Ends the session: no more frames; the connection is aborted unless <paramref name="graceful"/> (then
    /// the frames already queued are still sent and the caller closes the connection).</summary>
    public void End(bool graceful)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
            return;
        _queue.Writer.TryComplete();
        if (graceful)
            return;
        _closed.Cancel();
        _abort();
    }

    async Task WriteAsync()
    {
        await Task.Yield();
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
                await _send(frame, _closed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // A broken connection ends this session's writer, never the server.
        catch (Exception)
#pragma warning restore CA1031
        {
            End(graceful: false);
        }
    }
}
