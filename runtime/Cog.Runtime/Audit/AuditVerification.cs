namespace Cog.Runtime.Audit;

/// <summary>The result of <see cref="AuditChain.Verify"/>: intact, or every finding in sequence order.</summary>
/// <param name="Checked">How many records were read.</param>
/// <param name="Checkpoints">How many signed checkpoints the records were checked against.</param>
/// <param name="Findings">The findings, first record first (at most <see cref="MaxFindings"/>).</param>
/// <param name="Omitted">Findings beyond <see cref="MaxFindings"/>, counted but not listed.</param>
public sealed record AuditVerification(long Checked, int Checkpoints, IReadOnlyList<AuditFinding> Findings, int Omitted)
{
    /// <summary>At most this many findings are listed: a log forged throughout still gives a readable answer.</summary>
    public const int MaxFindings = 100;

    /// <summary>Whether the chain is intact.</summary>
    public bool IsIntact => Findings.Count == 0;

    /// <summary>The first finding's kind; <see cref="AuditBreakKind.None"/> when intact.</summary>
    public AuditBreakKind Kind => IsIntact ? AuditBreakKind.None : Findings[0].Kind;

    /// <summary>The first finding's record (0 when intact).</summary>
    public long Sequence => IsIntact ? 0 : Findings[0].Sequence;

    /// <summary>The first finding's message, or that the log is intact.</summary>
    public string Message => IsIntact ? AuditErrors.Intact(Checked) : Findings[0].Message;
}
