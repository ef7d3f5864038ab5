namespace Cog.Runtime.Audit;

/// <summary>How the audit chain is broken at the record <see cref="AuditVerification.Sequence"/> names.</summary>
public enum AuditBreakKind
{
    /// <summary>The chain is intact.</summary>
    None,

    /// <summary>A sequence number is missing: the record was deleted.</summary>
    Missing,

    /// <summary>Sequence numbers are not increasing: records were reordered.</summary>
    OutOfOrder,

    /// <summary>The record does not link to the one before: it was moved or the one before was replaced.</summary>
    BrokenLink,

    /// <summary>The record's content does not match its hash: it was altered.</summary>
    Altered,
}
