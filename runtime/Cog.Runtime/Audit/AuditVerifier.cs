namespace Cog.Runtime.Audit;

/// <summary>Verifies a store's audit log with the server's keys and against the signed checkpoints in its checkpoint
/// files: what <c>GET /v1/audit/verify</c> and <c>cogctl audit verify</c> report.</summary>
/// <remarks>Thread-safe; reads the checkpoint files anew on every verification.</remarks>
public sealed class AuditVerifier(AuditKeyRing keys, AuditCheckpointFiles checkpoints)
{
    /// <summary>Reads every record of <paramref name="store"/> and checks the chain (<see cref="AuditChain.VerifyAsync"/>).</summary>
    public Task<AuditVerification> VerifyAsync(IAuditStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (read, unreadable) = checkpoints.Read();
        return AuditChain.VerifyAsync(store.ReadAllAsync(cancellationToken), keys, read, unreadable, cancellationToken);
    }
}
