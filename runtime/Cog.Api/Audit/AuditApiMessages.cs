namespace Cog.Api.Audit;

/// <summary>The messages of the audit endpoints. Tests pin them.</summary>
public static class AuditApiMessages
{
    /// <summary>Field error: <c>from</c> or <c>to</c> is not an ISO-8601 time.</summary>
    public const string BadTime = "must be an ISO-8601 time, e.g. 2026-05-01T12:00:00Z";

    /// <summary>Field error: <c>order</c> is neither <c>newest</c> nor <c>oldest</c>.</summary>
    public const string BadOrder = "must be newest or oldest";

    /// <summary>Field error: <c>after</c> or <c>before</c> is not a sequence number.</summary>
    public const string BadSequence = "must be a sequence number (0 or more)";

    /// <summary>Field error: <c>limit</c> is out of range.</summary>
    public const string BadLimit = "must be a number from 1 to 1000";
}
