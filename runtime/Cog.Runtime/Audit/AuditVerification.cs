namespace Cog.Runtime.Audit;

/// <summary>The result of <see cref="AuditChain.Verify"/>: intact, or the first bad record named.</summary>
/// <param name="Kind"><see cref="AuditBreakKind.None"/> when intact.</param>
/// <param name="Sequence">The first record found deleted, altered or out of order (0 when intact).</param>
/// <param name="Checked">How many records were checked.</param>
/// <param name="Message">What to tell the operator (<see cref="AuditErrors"/>).</param>
public sealed record AuditVerification(AuditBreakKind Kind, long Sequence, long Checked, string Message)
{
    /// <summary>Whether the chain is intact.</summary>
    public bool IsIntact => Kind == AuditBreakKind.None;
}
