namespace Cog.Runtime.Audit;

/// <summary>A sealed audit record: an <see cref="AuditEntry"/> with its place in the hash chain (architecture §7).</summary>
/// <param name="Sequence">1, 2, 3... without gaps.</param>
/// <param name="Time">When it happened, to the microsecond.</param>
/// <param name="Kind">The event kind.</param>
/// <param name="Actor">The Cog username that acted, or <see langword="null"/>.</param>
/// <param name="Command">The command concerned, or <see langword="null"/>.</param>
/// <param name="Outcome">The decision or result, or <see langword="null"/>.</param>
/// <param name="PayloadJson">The event's details as JSON text.</param>
/// <param name="PreviousHash">The hash of the record before (<see cref="AuditChain.Genesis"/> for the first).</param>
/// <param name="Hash"><see cref="AuditChain.ComputeHash"/> of this record.</param>
public sealed record AuditRecord(
    long Sequence, DateTimeOffset Time, string Kind, string? Actor, string? Command, string? Outcome, string PayloadJson,
    string PreviousHash, string Hash);
