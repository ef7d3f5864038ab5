using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cog.Runtime.Audit;

/// <summary>The audit hash chain (architecture §7): every record's hash covers the previous record's hash and its
/// own canonical bytes, so deleting, altering or reordering a record breaks the chain at that record.</summary>
/// <remarks>
/// <para>Hash = lower-case hex SHA-256 of UTF-8(previous hash) ‖ canonical bytes. Canonical bytes: the tag
/// <c>cog-audit-v1</c>, then sequence, time (microseconds since the Unix epoch, UTC), kind, actor, command, outcome,
/// payload, each as a big-endian 32-bit byte length (−1 for null) followed by its UTF-8 bytes; numbers in invariant
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
            var unsealed = new AuditRecord(
                lastSequence + i + 1, FromMicroseconds(ToMicroseconds(entry.Time)), entry.Kind, entry.Actor, entry.Command,
                entry.Outcome, entry.PayloadJson, previous, "");
            var record = unsealed with { Hash = ComputeHash(unsealed) };
            records[i] = record;
            previous = record.Hash;
        }
        return records;
    }

    /// <summary>The hash a record must have, from its <see cref="AuditRecord.PreviousHash"/> and content (its
    /// <see cref="AuditRecord.Hash"/> is ignored).</summary>
    public static string ComputeHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream(256);
        Write(buffer, record.PreviousHash);
        Write(buffer, Tag);
        Write(buffer, record.Sequence.ToString(CultureInfo.InvariantCulture));
        Write(buffer, ToMicroseconds(record.Time).ToString(CultureInfo.InvariantCulture));
        Write(buffer, record.Kind);
        Write(buffer, record.Actor);
        Write(buffer, record.Command);
        Write(buffer, record.Outcome);
        Write(buffer, record.PayloadJson);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), hash);
        return Convert.ToHexStringLower(hash);
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

    static void Write(MemoryStream buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            buffer.Write(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
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
