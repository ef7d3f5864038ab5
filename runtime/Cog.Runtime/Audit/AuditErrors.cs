using System.Globalization;

namespace Cog.Runtime.Audit;

/// <summary>The catalog of audit verification messages. Tests pin them.</summary>
public static class AuditErrors
{
    /// <summary>An append refused because the chain's head was sealed with another key than the appender's (servers
    /// sharing a store with different audit keys).</summary>
    public static string KeyMismatch(string headKeyId, string keyId) =>
        $"The audit log's last record is sealed with key {headKeyId} and this server seals with key {keyId}: nothing was written. Every server sharing a store must use the same audit key (Cog:Audit:KeyFile); to change it, stop them all and start them with the new key, the old one in Cog:Audit:PreviousKeyFiles";

    /// <summary>The chain is intact.</summary>
    public static string Intact(long count) => $"The audit log is intact: {count} records verified";

    /// <summary>Records are missing.</summary>
    public static string Missing(long first, long last, long found) =>
        $"Audit {Records(first, last)} {Is(first, last)} missing: the log goes on at record {found} (deleted)";

    /// <summary>Sequence numbers go backwards or repeat.</summary>
    public static string OutOfOrder(long sequence, long previous) =>
        $"Audit record {sequence} is out of order: it comes after record {previous}";

    /// <summary>Records do not link to their predecessors.</summary>
    public static string BrokenLink(long first, long last) =>
        $"Audit {Records(first, last)} {DoesNot(first, last)} follow the record before (records were deleted, inserted or replaced before {It(first, last)})";

    /// <summary>Records' content does not match their seals.</summary>
    public static string Altered(long first, long last) =>
        $"Audit {Records(first, last)} {Was(first, last)} altered: the content does not match the seal";

    /// <summary>Records' seals were not made with the key.</summary>
    public static string Forged(long first, long last) =>
        $"Audit {Records(first, last)} {Is(first, last)} forged: the seal was not made with the audit key (written or re-sealed without it)";

    /// <summary>A keyless record after the chain was keyed.</summary>
    public static string ForgedKeyless(long first, long last, long keyedAt) =>
        $"Audit {Records(first, last)} {Is(first, last)} forged: keyless, but the chain is keyed since record {keyedAt}";

    /// <summary>A record sealed with another key than the chain's, without a rotation record.</summary>
    public static string ForgedKeySwitch(long first, long last, string keyId, string chainKeyId) =>
        $"Audit {Records(first, last)} {Is(first, last)} forged: sealed with key {keyId}, but the chain uses key {chainKeyId} and no rotation record moved it";

    /// <summary>Genuine records under other sequence numbers.</summary>
    public static string Renumbered(long first, long last, long sealedAs) =>
        $"Audit {Records(first, last)} {Was(first, last)} sealed as {Records(sealedAs, sealedAs + last - first)}: moved, renumbered or replayed";

    /// <summary>Records sealed with a key not in the ring.</summary>
    public static string UnknownKey(long first, long last, string keyId) =>
        $"Audit {Records(first, last)} {Is(first, last)} sealed with key {keyId}, which is not configured: {(first == last ? "it" : "they")} cannot be checked (add the key file to Cog:Audit:PreviousKeyFiles)";

    /// <summary>The tail is gone.</summary>
    public static string Truncated(long first, long last, DateTimeOffset checkpointTime) =>
        $"Audit {Records(first, last)} {Is(first, last)} missing from the end of the log: the checkpoint of {Time(checkpointTime)} saw record {last} (truncated)";

    /// <summary>The table is empty.</summary>
    public static string Emptied(long last, DateTimeOffset checkpointTime) =>
        $"The audit log is empty, but the checkpoint of {Time(checkpointTime)} saw {last} records (emptied)";

    /// <summary>A record differs from the one a checkpoint saw.</summary>
    public static string CheckpointMismatch(long sequence, DateTimeOffset checkpointTime) =>
        $"Audit record {sequence} is not the record the checkpoint of {Time(checkpointTime)} saw: it was replaced";

    /// <summary>A checkpoint's signature does not verify.</summary>
    public static string CheckpointForged(long sequence, string source) =>
        $"The checkpoint of record {sequence} at {source} is not signed by a configured audit key: the checkpoint file was tampered with";

    /// <summary>A checkpoint file line that is not a checkpoint.</summary>
    public static string CheckpointUnreadable(string source) =>
        $"{source} is not a checkpoint: the checkpoint file was tampered with";

    /// <summary>A key file of the wrong size.</summary>
    public static string BadKeyFile(string path, long length) =>
        $"The audit key file {path} must hold exactly {AuditKey.Size} random bytes, not {length} (create one with: head -c {AuditKey.Size} /dev/urandom > {path})";

    static string Records(long first, long last) =>
        first == last ? $"record {first}" : string.Create(CultureInfo.InvariantCulture, $"records {first}–{last}");

    static string Is(long first, long last) => first == last ? "is" : "are";

    static string Was(long first, long last) => first == last ? "was" : "were";

    static string DoesNot(long first, long last) => first == last ? "does not" : "do not";

    static string It(long first, long last) => first == last ? "it" : "them";

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
