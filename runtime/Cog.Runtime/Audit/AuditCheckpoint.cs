using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Cog.Runtime.Audit;

/// <summary>A signed statement, kept outside the database, that the audit chain's head was record
/// <see cref="Sequence"/> with seal <see cref="Hash"/> at <see cref="Time"/>: verification then detects a log truncated
/// or emptied after it, or a record at that sequence replaced.</summary>
/// <remarks>
/// <para><see cref="Mac"/> = <see cref="AuditChain.CheckpointMac"/>: HMAC-SHA256 with the key <see cref="KeyId"/> of the
/// tag <c>cog-audit-checkpoint-v1</c>, the key id, sequence, hash and time in the chain's canonical form.</para>
/// <para>Stored as one JSON object a line: <c>{"sequence":12,"hash":"…","time":"2026-05-01T12:00:00.000000Z","key":"…","mac":"…"}</c>.</para>
/// </remarks>
/// <param name="Sequence">The head record's sequence number.</param>
/// <param name="Hash">The head record's seal (64 hex digits).</param>
/// <param name="Time">When the checkpoint was taken, to the microsecond.</param>
/// <param name="KeyId">The fingerprint of the key that signed it.</param>
/// <param name="Mac">The signature (64 hex digits).</param>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset Time, string KeyId, string Mac)
{
    /// <summary>Where it was read from (<c>file:line</c>), for messages; not signed.</summary>
    public string Source { get; init; } = "";

    /// <summary>A checkpoint of <paramref name="head"/>, signed with <paramref name="key"/>.</summary>
    public static AuditCheckpoint Create(AuditKey key, AuditRecord head, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(head);
        if (!IsHash(head.Hash))
            throw new ArgumentException($"Audit record {head.Sequence} has no valid seal to checkpoint.", nameof(head));
        var micros = AuditChain.ToMicroseconds(time);
        return new AuditCheckpoint(head.Sequence, head.Hash, AuditChain.FromMicroseconds(micros), key.Id,
            AuditChain.CheckpointMac(key, head.Sequence, head.Hash, micros));
    }

    /// <summary>Whether a key of <paramref name="keys"/> signed this checkpoint as it reads.</summary>
    public bool IsSignedBy(AuditKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Find(KeyId) is { } key && IsHash(Hash) &&
            string.Equals(Mac, AuditChain.CheckpointMac(key, Sequence, Hash, AuditChain.ToMicroseconds(Time)), StringComparison.Ordinal);
    }

    /// <summary>The checkpoint as one line of JSON (no line break).</summary>
    public string ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", Sequence);
            json.WriteString("hash", Hash);
            json.WriteString("time", Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteString("key", KeyId);
            json.WriteString("mac", Mac);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a line written by <see cref="ToJsonLine"/>; <see langword="false"/> when it is not one (the
    /// signature is not checked here: <see cref="IsSignedBy"/>).</summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out AuditCheckpoint? checkpoint)
    {
        checkpoint = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("sequence", out var sequence) || !sequence.TryGetInt64(out var number) || number < 1 ||
                Text(root, "hash") is not { } hash || !IsHash(hash) ||
                Text(root, "time") is not { } timeText ||
                !DateTimeOffset.TryParseExact(timeText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ||
                Text(root, "key") is not { } key || Text(root, "mac") is not { } mac)
                return false;
            checkpoint = new AuditCheckpoint(number, hash, time, key, mac);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
