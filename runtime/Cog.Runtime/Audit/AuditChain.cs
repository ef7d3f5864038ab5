using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cog.Runtime.Audit;

/// <summary>The audit hash chain (architecture §7): every record's hash covers the previous record's hash and its
/// own canonical bytes, so deleting, altering or reordering a record breaks the chain at that record.</summary>
/// <remarks>
/// <para>Hash = lower-case hex SHA-256 of these fields in order: the previous hash, the tag <c>cog-audit-v1</c>,
/// sequence, time (microseconds since the Unix epoch, UTC), kind, actor, command, outcome, payload — each as a big-endian 32-bit byte length (−1 for null) followed by its UTF-8 bytes; numbers in invariant
/// decimal. The payload is hashed as stored text, so stores keep it byte for byte.</para>
/// <para>Pure functions; thread-safe.</para>
/// </remarks>
public static class AuditChain
{
    /// <summary>The previous hash of the first record: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    const string Tag = "cog-audit-v1";

    /// <summary>Time as stored and hashed: microseconds since the Unix epoch.</summary>
    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The inverse of <see cref="ToMicroseconds"/> (UTC).</summary>
    public static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);

    /// <summary>Seals <paramref name="entries"/> into records after the record (<paramref name="lastSequence"/>,
    /// <paramref name="lastHash"/>); pass 0 and <see cref="Genesis"/> for an empty log. Times are truncated to the
    /// microsecond.</summary>
    public static IReadOnlyList<AuditRecord> Seal(long lastSequence, string lastHash, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(lastHash);
        ArgumentNullException.ThrowIfNull(entries);
        var records = new AuditRecord[entries.Count];
        var previous = lastHash;
        for (var i = 0; i < records.Length; i++)
        {
            var entry = entries[i];
            var sequence = lastSequence + i + 1;
            var micros = ToMicroseconds(entry.Time);
            var hash = Hash(previous, sequence, micros, entry.Kind, entry.Actor, entry.Command, entry.Outcome, entry.PayloadJson);
            records[i] = new AuditRecord(
                sequence, FromMicroseconds(micros), entry.Kind, entry.Actor, entry.Command, entry.Outcome, entry.PayloadJson, previous, hash);
            previous = hash;
        }
        return records;
    }

    /// <summary>The hash a record must have, from its <see cref="AuditRecord.PreviousHash"/> and content (its
    /// <see cref="AuditRecord.Hash"/> is ignored).</summary>
    public static string ComputeHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Hash(record.PreviousHash, record.Sequence, ToMicroseconds(record.Time), record.Kind, record.Actor, record.Command,
            record.Outcome, record.PayloadJson);
    }

    // The canonical bytes are written into one stack (or pooled) buffer sized for the worst case: no allocation but the
    // hash's text.
    static string Hash(
        string previousHash, long sequence, long micros, string kind, string? actor, string? command, string? outcome, string payload)
    {
        const int NumberSize = 4 + 20;
        var size = MaxSize(previousHash) + MaxSize(Tag) + (2 * NumberSize) + MaxSize(kind) + MaxSize(actor) + MaxSize(command) +
            MaxSize(outcome) + MaxSize(payload);
        byte[]? rented = null;
        Span<byte> buffer = size <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var at = 0;
            Write(buffer, ref at, previousHash);
            Write(buffer, ref at, Tag);
            Write(buffer, ref at, sequence);
            Write(buffer, ref at, micros);
            Write(buffer, ref at, kind);
            Write(buffer, ref at, actor);
            Write(buffer, ref at, command);
            Write(buffer, ref at, outcome);
            Write(buffer, ref at, payload);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer[..at], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Checks a whole log, read in sequence order from the first record, and names the first record that
    /// was deleted, altered or reordered.</summary>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new Verifier();
        foreach (var record in records)
        {
            if (verifier.Next(record) is { } broken)
                return broken;
        }
        return verifier.Intact();
    }

    /// <summary>As <see cref="Verify"/>, over an asynchronous stream (a store reading page by page).</summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new Verifier();
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (verifier.Next(record) is { } broken)
                return broken;
        }
        return verifier.Intact();
    }

    const int StackLimit = 2048;

    static int MaxSize(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetMaxByteCount(value.Length));

    static void Write(Span<byte> buffer, ref int at, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer[at..], -1);
            at += 4;
            return;
        }
        var length = Encoding.UTF8.GetBytes(value, buffer[(at + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], length);
        at += 4 + length;
    }

    static void Write(Span<byte> buffer, ref int at, long value)
    {
        // Invariant decimal digits are ASCII: the UTF-8 bytes are the characters.
        if (!value.TryFormat(buffer[(at + 4)..], out var length, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("The audit hash buffer is too small for a number.");
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], length);
        at += 4 + length;
    }

    sealed class Verifier
    {
        long _previousSequence;
        string _previousHash = Genesis;
        long _checked;

        public AuditVerification? Next(AuditRecord record)
        {
            var expected = _previousSequence + 1;
            if (record.Sequence <= _previousSequence)
                return Broken(AuditBreakKind.OutOfOrder, record.Sequence, AuditErrors.OutOfOrder(record.Sequence, _previousSequence));
            if (record.Sequence != expected)
                return Broken(AuditBreakKind.Missing, expected, AuditErrors.Missing(expected, record.Sequence));
            if (!string.Equals(record.PreviousHash, _previousHash, StringComparison.Ordinal))
                return Broken(AuditBreakKind.BrokenLink, record.Sequence, AuditErrors.BrokenLink(record.Sequence));
            if (!string.Equals(record.Hash, ComputeHash(record), StringComparison.Ordinal))
                return Broken(AuditBreakKind.Altered, record.Sequence, AuditErrors.Altered(record.Sequence));
            _previousSequence = record.Sequence;
            _previousHash = record.Hash;
            _checked++;
            return null;
        }

        public AuditVerification Intact() => new(AuditBreakKind.None, 0, _checked, AuditErrors.Intact(_checked));

        AuditVerification Broken(AuditBreakKind kind, long sequence, string message) => new(kind, sequence, _checked, message);
    }
}
