namespace Cog.Runtime.Audit;

/// <summary>The catalog of audit verification messages (house-style §3.11).</summary>
public static class AuditErrors
{
    /// <summary>The chain is intact.</summary>
    public static string Intact(long count) => $"The audit log is intact: {count} records verified";

    /// <summary>A record is missing.</summary>
    public static string Missing(long sequence, long found) =>
        $"Audit record {sequence} is missing: the log goes on at record {found} (the record was deleted)";

    /// <summary>Sequence numbers go backwards or repeat.</summary>
    public static string OutOfOrder(long sequence, long previous) =>
        $"Audit record {sequence} is out of order: it comes after record {previous}";

    /// <summary>A record does not link to its predecessor.</summary>
    public static string BrokenLink(long sequence) =>
        $"Audit record {sequence} does not follow the record before it (records were moved, replaced or deleted)";

    /// <summary>A record's hash does not match.</summary>
    public static string Altered(long sequence) => $"Audit record {sequence} was altered: its hash does not match its content";
}
