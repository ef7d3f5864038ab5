using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cog.Runtime.Audit;

/// <summary>The audit chain: every record's seal covers the previous record's seal and its own canonical bytes, and is
/// made with a key that is not in the database (<see cref="AuditKey"/>), so deleting, altering, reordering, forging or
/// re-sealing a record is detected by <see cref="Verify"/>.</summary>
/// <remarks>
/// <para>Canonical bytes: fields in order, each as a big-endian 32-bit byte length (−1 for null) followed by its UTF-8
/// bytes; numbers in invariant decimal; time in microseconds since the Unix epoch, UTC. The payload is sealed as stored
/// text, so stores keep it byte for byte.</para>
/// <para>Format <c>cog-audit-v2</c> (every record written now): hash = lower-case hex HMAC-SHA256 with the key named by
/// <see cref="AuditRecord.KeyId"/> of: the previous hash, the tag <c>cog-audit-v2</c>, the key id, sequence, time, kind,
/// actor, command, outcome, payload.</para>
/// <para>Format <c>cog-audit-v1</c> (records written before the chain was keyed, <see cref="AuditRecord.KeyId"/>
/// <see langword="null"/>): hash = lower-case hex SHA-256 of the previous hash, the tag <c>cog-audit-v1</c>, sequence,
/// time, kind, actor, command, outcome, payload. Such records may only form a prefix of the chain: the first keyed record
/// seals the last keyless one's hash, which fixes the whole prefix.</para>
/// <para>The key changes only at an <see cref="KeyRotatedKind"/> record sealed with the new key; a record sealed with
/// another key than the chain's current one is a forgery.</para>
/// <para>Pure functions; thread-safe.</para>
/// </remarks>
public static class AuditChain
{
    /// <summary>The previous hash of the first record: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The kind of the record that moves the chain to a new key (or keys a keyless chain): sealed with the new
    /// key; payload <c>{"from": old key id or null, "to": new key id}</c>.</summary>
    public const string KeyRotatedKind = "audit.key.rotated";

    /// <summary>The kind of the record a server writes when it starts on a log that ends before its latest checkpoint.</summary>
    public const string TruncationDetectedKind = "audit.truncation.detected";

    const string KeylessTag = "cog-audit-v1";
    const string KeyedTag = "cog-audit-v2";
    const string CheckpointTag = "cog-audit-checkpoint-v1";

    /// <summary>Time as stored and sealed: microseconds since the Unix epoch.</summary>
    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The inverse of <see cref="ToMicroseconds"/> (UTC).</summary>
    public static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);

    /// <summary>Whether <paramref name="entries"/> sealed with <paramref name="key"/> may follow a head sealed with the
    /// key <paramref name="headKeyId"/> (<see langword="null"/>: keyless, or no head) and still verify: the same key, or
    /// a keyless head, or a different key that the first entry moves the chain to (<see cref="KeyRotatedKind"/>).</summary>
    public static bool MayFollow(string? headKeyId, AuditKey key, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entries);
        return headKeyId is null || string.Equals(headKeyId, key.Id, StringComparison.Ordinal)
            || (entries.Count > 0 && string.Equals(entries[0].Kind, KeyRotatedKind, StringComparison.Ordinal));
    }

    /// <summary>Seals <paramref name="entries"/> with <paramref name="key"/> into records after the record
    /// (<paramref name="lastSequence"/>, <paramref name="lastHash"/>); pass 0 and <see cref="Genesis"/> for an empty log.
    /// Times are truncated to the microsecond.</summary>
    public static IReadOnlyList<AuditRecord> Seal(AuditKey key, long lastSequence, string lastHash, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(lastHash);
        ArgumentNullException.ThrowIfNull(entries);
        var records = new AuditRecord[entries.Count];
        var previous = lastHash;
        for (var i = 0; i < records.Length; i++)
        {
            var entry = entries[i];
            var sequence = lastSequence + i + 1;
            var micros = ToMicroseconds(entry.Time);
            var hash = Digest(key, previous, sequence, micros, entry.Kind, entry.Actor, entry.Command, entry.Outcome, entry.PayloadJson);
            records[i] = new AuditRecord(
                sequence, FromMicroseconds(micros), entry.Kind, entry.Actor, entry.Command, entry.Outcome, entry.PayloadJson, previous, hash, key.Id);
            previous = hash;
        }
        return records;
    }

    /// <summary>The <c>cog-audit-v1</c> hash of a record, from its <see cref="AuditRecord.PreviousHash"/> and content:
    /// anyone can compute it, which is why new records are keyed.</summary>
    public static string ComputeKeylessHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Digest(null, record.PreviousHash, record.Sequence, ToMicroseconds(record.Time), record.Kind, record.Actor, record.Command,
            record.Outcome, record.PayloadJson);
    }

    /// <summary>The <c>cog-audit-v2</c> seal <paramref name="key"/> gives the record's content at
    /// <paramref name="sequence"/> (<see cref="AuditRecord.Hash"/> and <see cref="AuditRecord.Sequence"/> are ignored).</summary>
    internal static string ComputeSeal(AuditRecord record, AuditKey key, long sequence) =>
        Digest(key, record.PreviousHash, sequence, ToMicroseconds(record.Time), record.Kind, record.Actor, record.Command, record.Outcome,
            record.PayloadJson);

    /// <summary>The signature of a checkpoint: lower-case hex HMAC-SHA256 with <paramref name="key"/> of the tag
    /// <c>cog-audit-checkpoint-v1</c>, the key id, sequence, hash and time, in the canonical form.</summary>
    internal static string CheckpointMac(AuditKey key, long sequence, string hash, long micros)
    {
        // A hash is 64 hex digits (AuditCheckpoint checks it), so the bytes fit the stack buffer.
        Span<byte> buffer = stackalloc byte[StackLimit];
        var at = 0;
        Write(buffer, ref at, CheckpointTag);
        Write(buffer, ref at, key.Id);
        Write(buffer, ref at, sequence);
        Write(buffer, ref at, hash);
        Write(buffer, ref at, micros);
        Span<byte> mac = stackalloc byte[32];
        key.Mac(buffer[..at], mac);
        return Convert.ToHexStringLower(mac);
    }

    // The canonical bytes are written into one stack (or pooled) buffer sized for the worst case: no allocation but the
    // hash's text. Without a key: the keyless v1 form.
    static string Digest(
        AuditKey? key, string previousHash, long sequence, long micros, string kind, string? actor, string? command, string? outcome, string payload)
    {
        const int NumberSize = 4 + 20;
        var size = MaxSize(previousHash) + MaxSize(KeyedTag) + MaxSize(key?.Id) + (2 * NumberSize) + MaxSize(kind) + MaxSize(actor) +
            MaxSize(command) + MaxSize(outcome) + MaxSize(payload);
        byte[]? rented = null;
        Span<byte> buffer = size <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var at = 0;
            Write(buffer, ref at, previousHash);
            Write(buffer, ref at, key is null ? KeylessTag : KeyedTag);
            if (key is not null)
                Write(buffer, ref at, key.Id);
            Write(buffer, ref at, sequence);
            Write(buffer, ref at, micros);
            Write(buffer, ref at, kind);
            Write(buffer, ref at, actor);
            Write(buffer, ref at, command);
            Write(buffer, ref at, outcome);
            Write(buffer, ref at, payload);
            Span<byte> hash = stackalloc byte[32];
            if (key is null)
                SHA256.HashData(buffer[..at], hash);
            else
                key.Mac(buffer[..at], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Checks a whole log, read in sequence order from the first record, against <paramref name="keys"/> and
    /// the <paramref name="checkpoints"/> kept outside the database, and lists every finding: what kind of tampering,
    /// and where. <paramref name="unreadableCheckpoints"/> names checkpoint file lines that are not checkpoints
    /// (<see cref="AuditCheckpointFiles.Read"/>); each is a finding.</summary>
    public static AuditVerification Verify(
        IEnumerable<AuditRecord> records, AuditKeyRing keys, IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyList<string>? unreadableCheckpoints = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new AuditChainVerifier(keys, checkpoints, unreadableCheckpoints ?? []);
        foreach (var record in records)
            verifier.Next(record);
        return verifier.Finish();
    }

    /// <summary>As <see cref="Verify"/>, over an asynchronous stream (a store reading page by page).</summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditKeyRing keys,
        IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyList<string>? unreadableCheckpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var verifier = new AuditChainVerifier(keys, checkpoints, unreadableCheckpoints ?? []);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            verifier.Next(record);
        return verifier.Finish();
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
}
