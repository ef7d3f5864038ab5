using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Cog.Worker.Protocol;

/// <summary>
/// The channel's framing: each message is a 4-byte big-endian length, then that many bytes of UTF-8 JSON
/// (<see cref="ChannelMessage"/>). A frame longer than <see cref="MaxFrameBytes"/>, a stream that ends inside a frame,
/// or JSON that is not a known message is a <see cref="ChannelException"/>: the peer is broken.
/// </summary>
/// <remarks>Not thread-safe per stream: one reader, and writers serialized by the caller.</remarks>
static class Frames
{
    /// <summary>The protocol version both ends must speak.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The largest frame either end accepts: 64 MiB (a result's items are bounded by the output limit, far
    /// below; a script image is some kilobytes).</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>Reads the next message, or <see langword="null"/> when the stream ended cleanly between frames.</summary>
    /// <exception cref="ChannelException">A malformed frame.</exception>
    public static async ValueTask<ChannelMessage?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var read = await ReadFullyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }
        if (read < header.Length)
        {
            throw new ChannelException("the stream ended inside a frame header");
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is <= 0 or > MaxFrameBytes)
        {
            throw new ChannelException(string.Create(CultureInfo.InvariantCulture, $"a frame of {length} bytes (at most {MaxFrameBytes})"));
        }
        var body = new byte[length];
        if (await ReadFullyAsync(stream, body, cancellationToken).ConfigureAwait(false) < length)
        {
            throw new ChannelException("the stream ended inside a frame");
        }
        try
        {
            return JsonSerializer.Deserialize(body, ChannelJson.Default.ChannelMessage)
                ?? throw new ChannelException("a frame holding null");
        }
        catch (JsonException e)
        {
            throw new ChannelException("a frame that is not a channel message: " + e.Message);
        }
    }

    /// <summary>Writes one message as one frame and flushes it.</summary>
    /// <exception cref="ChannelException">The message is larger than <see cref="MaxFrameBytes"/>.</exception>
    public static async ValueTask WriteAsync(Stream stream, ChannelMessage message, CancellationToken cancellationToken)
    {
        await WriteUnflushedAsync(stream, message, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one message as one frame without flushing: several frames written to a buffered stream go out
    /// together at its next flush.</summary>
    /// <exception cref="ChannelException">The message is larger than <see cref="MaxFrameBytes"/>.</exception>
    public static async ValueTask WriteUnflushedAsync(Stream stream, ChannelMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, ChannelJson.Default.ChannelMessage);
        if (body.Length > MaxFrameBytes)
        {
            throw new ChannelException(string.Create(CultureInfo.InvariantCulture, $"a frame of {body.Length} bytes (at most {MaxFrameBytes})"));
        }
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
    }

    static async ValueTask<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}

/// <summary>A malformed frame: the end that sent it is broken and is not talked to again.</summary>
sealed class ChannelException(string message) : Exception("Malformed channel frame: " + message);
