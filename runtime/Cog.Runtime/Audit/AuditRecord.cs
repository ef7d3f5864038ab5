namespace Cog.Runtime.Audit;

/// <summary>A sealed audit record: an <see cref="AuditEntry"/> with its place in the chain (<see cref="AuditChain"/>).</summary>
/// <param name="Sequence">1, 2, 3... without gaps.</param>
/// <param name="Time">When it happened, to the microsecond.</param>
/// <param name="Kind">The event kind.</param>
/// <param name="Actor">The Cog username that acted, or <see langword="null"/>.</param>
/// <param name="Command">The command concerned, or <see langword="null"/>.</param>
/// <param name="Outcome">The decision or result, or <see langword="null"/>.</param>
/// <param name="PayloadJson">The event's details as JSON text.</param>
/// <param name="PreviousHash">The hash of the record before (<see cref="AuditChain.Genesis"/> for the first).</param>
/// <param name="Hash">This record's seal: the keyed <c>cog-audit-v2</c> HMAC, or for a record written before the chain
/// was keyed the keyless <c>cog-audit-v1</c> hash.</param>
/// <param name="KeyId">The fingerprint of the <see cref="AuditKey"/> that sealed it; <see langword="null"/> for a keyless
/// <c>cog-audit-v1</c> record.</param>
public sealed record AuditRecord(
    long Sequence, DateTimeOffset Time, string Kind, string? Actor, string? Command, string? Outcome, string PayloadJson,
    string PreviousHash, string Hash, string? KeyId = null);
