using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Administration;

/// <summary>The common steps after a committed change (the <see cref="AdminAudit"/> contract): record it durably, then tell
/// the directory what kind of thing changed — even when recording fails, so no cache keeps a stale grant.</summary>
sealed class AdminRecorder(AdminAudit audit, IDirectoryChanges changes)
{
    public IDirectoryChanges Changes => changes;

    public Task GrantsAsync(AdminActor actor, AdminChange change, CancellationToken cancellationToken) =>
        RecordAsync(actor, [change], changes.GrantsChanged, cancellationToken);

    public async Task RecordAsync(AdminActor actor, IReadOnlyList<AdminChange> records, Action? notify, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var record in records)
                await audit.RecordAsync(actor.Username, actor.Origin, record.Kind, record.Subject, record.Details, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            notify?.Invoke();
        }
    }
}
