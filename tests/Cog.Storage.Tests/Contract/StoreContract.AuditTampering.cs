using Cog.Runtime.Audit;
using Cog.Testing;

namespace Cog.Storage.Tests.Contract;

/// <summary>The fourteen ways someone with full access to the database, but not to the audit key or the checkpoint
/// files, can tamper with the audit log (docs/operations.md lists them), each detected with its kind and place.</summary>
public abstract partial class StoreContract
{
    public static TheoryData<string> TamperingForms => new(AuditTampering.Forms.Select(f => f.Form));

    [Theory]
    [MemberData(nameof(TamperingForms))]
    public async Task Every_tampering_form_is_detected_with_its_kind_and_place(string form)
    {
        await Store.Audit.AppendAsync([.. Enumerable.Range(1, 10).Select(i => new AuditEntry(T0.AddSeconds(i), "command_dispatched", "alice", "deployer:ship", "allowed", $$"""{"n":{{i}}}"""))],
            TestAuditKeys.Default, Ct);
        var checkpoint = AuditCheckpoint.Create(TestAuditKeys.Default, (await Store.Audit.ReadHeadAsync(Ct))!, T0.AddMinutes(1));
        async Task<AuditVerification> VerifyWithCheckpointAsync() =>
            await AuditChain.VerifyAsync(Store.Audit.ReadAllAsync(Ct), TestAuditKeys.Ring, [checkpoint], null, Ct);
        Assert.True((await VerifyWithCheckpointAsync()).IsIntact);

        var tampering = new AuditTampering(Store.Audit, ExecuteSqlAsync);
        await tampering.ApplyAsync(form);

        var verification = await VerifyWithCheckpointAsync();
        Assert.False(verification.IsIntact, form + " passed verification");
        var finding = verification.Findings[0];
        Assert.Equal(tampering.Expected(form), (finding.Kind, finding.Sequence, finding.LastSequence));
    }
}
