using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cog.Runtime.Storage;

/// <summary>Identifiers as Cog 1.0 uses them: UUID strings (lower-case, with hyphens).</summary>
public static class StoreId
{
    static readonly Lock Gate = new();
    static long _lastMilliseconds;
    static int _counter;

    /// <summary>
    /// A new time-ordered UUID (version 7, RFC 9562) that sorts after every id this process made before it, even within
    /// one millisecond: the 12 bits after the timestamp are a counter (RFC 9562 §6.2, method 1), so "ORDER BY id" is
    /// creation order for rows one server writes, and index inserts stay local. <see cref="Guid.CreateVersion7()"/> fills
    /// those bits at random, which orders two ids of the same millisecond by chance.
    /// </summary>
    public static string New()
    {
        long milliseconds;
        int counter;
        lock (Gate)
        {
            milliseconds = Math.Max(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), _lastMilliseconds);
            if (milliseconds == _lastMilliseconds && _counter < 0xFFF)
            {
                _counter++;
            }
            else
            {
                // A new millisecond (or a full counter, which borrows the next one) starts the counter low at random,
                // leaving room to count up.
                if (milliseconds == _lastMilliseconds) milliseconds++;
                _counter = RandomNumberGenerator.GetInt32(0x800);
            }
            _lastMilliseconds = milliseconds;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = unchecked((byte)counter);
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
