using System.Globalization;
using Cog.Runtime.Administration;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Triggers;

/// <summary>Creates, updates, deletes and finds triggers with Cog 1.0's validation (name format and
/// uniqueness, pipeline required, <c>timeout_sec</c> &gt; 0, <c>as_user</c> must name a user), and records every change
/// in the audit log (<see cref="AdminAudit"/>: <c>trigger.created</c>, <c>trigger.updated</c>, <c>trigger.deleted</c>,
/// subject <c>trigger:&lt;name&gt;</c>).</summary>
/// <remarks>Used by the REST API and (later) the built-in <c>trigger-*</c> commands. A trigger is addressed by its id
/// or its name. Refusals are <see cref="TriggerResult"/> values; an exception means a broken store or audit log (the
/// change may then be committed but unrecorded: the caller reports the failure). Thread-safe.</remarks>
public sealed class TriggerAdministration(IStore store, AdminAudit audit)
{
    /// <summary>Every trigger by name, or (<paramref name="name"/> given) the one with that name, if any.</summary>
    public async Task<IReadOnlyList<Trigger>> ListAsync(string? name, CancellationToken cancellationToken)
    {
        if (name is null)
            return await store.Triggers.ListAsync(cancellationToken).ConfigureAwait(false);
        var found = await store.Triggers.FindByNameAsync(name, cancellationToken).ConfigureAwait(false);
        return found is null ? [] : [found];
    }

    /// <summary>The trigger with this id or name.</summary>
    public async Task<TriggerResult> FindAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TriggerNames.TryReadKey(key, out var id, out var name))
            return TriggerResult.BadId;
        var found = id is not null
            ? await store.Triggers.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? await store.Triggers.FindByNameAsync(key, cancellationToken).ConfigureAwait(false)
            : await store.Triggers.FindByNameAsync(name!, cancellationToken).ConfigureAwait(false);
        return found is null ? TriggerResult.NotFound : TriggerResult.Ok(found);
    }

    /// <summary>Creates a trigger from <paramref name="draft"/>.</summary>
    /// <param name="actor">The acting username (the audit record's actor).</param>
    /// <param name="origin"><c>api</c> or <c>chat</c>.</param>
    /// <param name="draft">The fields.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<TriggerResult> CreateAsync(string? actor, string origin, TriggerDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var (trigger, errors) = await ValidateAsync(StoreId.New(), draft, cancellationToken).ConfigureAwait(false);
        if (trigger is null)
            return TriggerResult.Invalid(errors!);
        var created = await store.Triggers.CreateAsync(trigger, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
            return Refused(created.Error);
        await audit.RecordAsync(actor, origin, "trigger.created", Subject(trigger), Details(trigger, null), cancellationToken).ConfigureAwait(false);
        return TriggerResult.Ok(created.Value!);
    }

    /// <summary>Updates the trigger with this id or name: <paramref name="change"/> gets its current fields and returns
    /// the new ones (fields it leaves alone keep their values).</summary>
    public async Task<TriggerResult> UpdateAsync(
        string? actor, string origin, string key, Func<TriggerDraft, TriggerDraft> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var found = await FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found;
        var before = found.Trigger;
        var (trigger, errors) = await ValidateAsync(before.Id, change(TriggerDraft.Of(before)), cancellationToken).ConfigureAwait(false);
        if (trigger is null)
            return TriggerResult.Invalid(errors!);
        var updated = await store.Triggers.UpdateAsync(trigger, cancellationToken).ConfigureAwait(false);
        if (!updated.IsSuccess)
            return Refused(updated.Error);
        await audit.RecordAsync(actor, origin, "trigger.updated", Subject(trigger), Details(trigger, before), cancellationToken).ConfigureAwait(false);
        return TriggerResult.Ok(updated.Value!);
    }

    /// <summary>Deletes the trigger with this id or name and returns it.</summary>
    public async Task<TriggerResult> DeleteAsync(string? actor, string origin, string key, CancellationToken cancellationToken)
    {
        var found = await FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found;
        var deleted = await store.Triggers.DeleteAsync(found.Trigger.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return Refused(deleted.Error);
        await audit.RecordAsync(actor, origin, "trigger.deleted", Subject(found.Trigger), Details(found.Trigger, null), cancellationToken).ConfigureAwait(false);
        return found;
    }

    async Task<(Trigger? Trigger, IReadOnlyDictionary<string, string[]>? Errors)> ValidateAsync(
        string id, TriggerDraft draft, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = NullIfEmpty(draft.Name);
        var pipeline = NullIfEmpty(draft.Pipeline);
        var asUser = NullIfEmpty(draft.AsUser);
        if (string.IsNullOrWhiteSpace(name))
            errors["name"] = [TriggerErrors.Blank];
        else if (!TriggerNames.IsValid(name))
            errors["name"] = [TriggerErrors.InvalidFormat];
        if (string.IsNullOrWhiteSpace(pipeline))
            errors["pipeline"] = [TriggerErrors.Blank];
        if (draft.TimeoutSeconds is not { } timeout)
            errors["timeout_sec"] = [TriggerErrors.Blank];
        else if (timeout <= 0)
            errors["timeout_sec"] = [TriggerErrors.NotPositive];
        else if (timeout > int.MaxValue)
            errors["timeout_sec"] = [TriggerErrors.Invalid];
        if (asUser is not null && await store.Users.FindByUsernameAsync(asUser, cancellationToken).ConfigureAwait(false) is null)
            errors["as_user"] = [TriggerErrors.NoSuchUser];
        if (errors.Count > 0)
            return (null, errors);
        return (new Trigger(id, name!, pipeline!, NullIfEmpty(draft.Description), asUser, (int)draft.TimeoutSeconds!.Value, draft.Enabled,
            draft.AllowCrossOrigin), null);
    }

    static TriggerResult Refused(StoreError error) => error.Kind switch
    {
        StoreErrorKind.Duplicate => TriggerResult.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = [TriggerErrors.Taken] }),
        StoreErrorKind.NotFound => TriggerResult.NotFound,
        _ => throw new InvalidOperationException(error.Message),
    };

    static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    static string Subject(Trigger trigger) => "trigger:" + trigger.Name;

    static Dictionary<string, string?> Details(Trigger trigger, Trigger? before)
    {
        var details = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["id"] = trigger.Id,
            ["pipeline"] = trigger.Pipeline,
            ["as_user"] = trigger.AsUser,
            ["timeout_sec"] = trigger.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["enabled"] = trigger.Enabled ? "true" : "false",
            ["allow_cross_origin"] = trigger.AllowCrossOrigin ? "true" : "false",
        };
        if (before is not null && !string.Equals(before.Name, trigger.Name, StringComparison.Ordinal))
            details["previous_name"] = before.Name;
        return details;
    }
}
