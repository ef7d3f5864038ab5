namespace Cog.Runtime.Audit;

/// <summary>One problem <see cref="AuditChain.Verify"/> found: its kind and where.</summary>
/// <param name="Kind">What kind of tampering.</param>
/// <param name="Sequence">The first record concerned (for a checkpoint file problem: the sequence the checkpoint names,
/// or 0 when unreadable).</param>
/// <param name="LastSequence">The last record concerned: consecutive records with the same finding are reported once.</param>
/// <param name="Message">What to tell the operator (<see cref="AuditErrors"/>).</param>
public sealed record AuditFinding(AuditBreakKind Kind, long Sequence, long LastSequence, string Message);
