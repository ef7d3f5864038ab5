using Cog.Contracts.Relays;
using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Relay administration for the REST API and the chat commands (<c>relay-*</c>): create, update (name,
/// description, token), enable, disable, delete, list, info.</summary>
/// <remarks>
/// <para>Relays are named by name or id. Tokens are stored as <see cref="RelayToken.Hash"/> only and never recorded.
/// Credentials are read from the store on every connection attempt and package download
/// (<see cref="StoredRelayCredentials"/>), so a new token, a disabled relay or a deleted relay takes effect at once for
/// both; a relay that is already connected keeps its MQTT session (disabled relays stay connected but
/// are not selected — the directory stops choosing it).</para>
/// <para>After each change: the audit record, <see cref="IDirectoryChanges.RelaysChanged"/>, and the relay's fresh
/// assignments published (<see cref="BundleRegistry.PublishAssignmentsAsync"/>; a deleted relay gets an empty list,
/// which clears its retained assignments). Thread-safe.</para>
/// </remarks>
public sealed class RelayAdministration
{
    readonly IStore _store;
    readonly BundleRegistry _registry;
    readonly AdminAudit _audit;
    readonly IDirectoryChanges _changes;
    readonly TimeProvider _time;
    readonly IRelayAccounts? _accounts;

    /// <summary>Creates the service; <paramref name="accounts"/>, when given, learns every relay's token, state and
    /// deletion (an external Mosquitto's dynamic-security plugin).</summary>
    public RelayAdministration(IStore store, BundleRegistry registry, AdminAudit audit, IDirectoryChanges changes, TimeProvider timeProvider,
        IRelayAccounts? accounts = null)
    {
        _accounts = accounts;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(timeProvider);
        (_store, _registry, _audit, _changes, _time) = (store, registry, audit, changes, timeProvider);
    }

    /// <summary>Every relay with its groups, by name.</summary>
    public async Task<IReadOnlyList<RelayDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var relays = await _store.Relays.ListAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RelayDetails>(relays.Count);
        foreach (var relay in relays)
            list.Add(await DetailsAsync(_store, relay, cancellationToken).ConfigureAwait(false));
        return list;
    }

    /// <summary>One relay (by name or id). NotFound.</summary>
    public async Task<RegistryResult<RelayDetails>> InfoAsync(string relay, CancellationToken cancellationToken)
    {
        var found = await FindAsync(_store, relay, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        return await DetailsAsync(_store, found.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers a relay, in its groups. Invalid (with <see cref="RegistryError.Field"/>): blank name or
    /// token, invalid id; NotFound: an unknown group; Duplicate: the id or name is taken.</summary>
    public async Task<RegistryResult<RelayCreated>> CreateAsync(AdminActor actor, RelayCreation relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var relayName = (relay.Name ?? "").Trim();
        if (AdminChecks.NameError(relayName) is { } invalidName)
            return FieldError("name", invalidName);
        var id = relay.Id is null ? StoreId.New() : relay.Id.Trim().ToLowerInvariant();
        if (!Topics.IsValidRelayId(id))
            return FieldError("id", AdminMessages.InvalidRelayId(relay.Id!));
        if (relay.Token is not null && string.IsNullOrWhiteSpace(relay.Token))
            return FieldError("token", AdminMessages.Blank);
        var groups = new List<RelayGroup>();
        foreach (var name in relay.Groups ?? [])
        {
            var group = await RelayGroupAdministration.FindGroupAsync(_store, name, cancellationToken).ConfigureAwait(false);
            if (!group.IsSuccess)
                return group.Error;
            groups.Add(group.Value!);
        }
        var generated = relay.Token is null ? RelayToken.Generate() : null;
        var record = new RelayRecord(id, relayName, RelayToken.Hash(relay.Token ?? generated!), relay.Description, relay.Enabled, _time.GetUtcNow());
        RelayDetails details;
        await using (var transaction = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            var created = await transaction.Relays.CreateAsync(record, cancellationToken).ConfigureAwait(false);
            if (!created.IsSuccess)
                return RegistryError.FromStore(created.Error);
            foreach (var group in groups)
            {
                var added = await transaction.Relays.AddMemberAsync(group.Id, id, cancellationToken).ConfigureAwait(false);
                if (!added.IsSuccess)
                    return RegistryError.FromStore(added.Error);
            }
            details = await DetailsAsync(transaction, created.Value!, cancellationToken).ConfigureAwait(false);
            // The broker's login before the commit: a refusal rolls the relay back, so no token is lost to a half-made relay.
            if (await ProvisionAsync(id, accounts => accounts.RelaySavedAsync(id, relay.Token ?? generated, relay.Enabled, cancellationToken)).ConfigureAwait(false) is { } refused)
                return refused;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        await RecordAsync(actor, AdminAuditKinds.RelayCreated, details.Relay, new Dictionary<string, string?>
        {
            ["id"] = details.Relay.Id,
            ["name"] = details.Relay.Name,
            ["enabled"] = details.Relay.Enabled ? "true" : "false",
            ["groups"] = string.Join(", ", details.Groups.Select(static g => g.Name)),
        }, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(details.Relay.Id, cancellationToken).ConfigureAwait(false);
        return new RelayCreated(details, generated);
    }

    /// <summary>Changes a relay's name, description, token or enabled flag. Invalid (with
    /// <see cref="RegistryError.Field"/>): blank name or token; NotFound; Duplicate: the name is taken.</summary>
    public async Task<RegistryResult<RelayDetails>> UpdateAsync(AdminActor actor, string relay, RelayChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Name is not null && AdminChecks.NameError(changes.Name.Trim()) is { } invalidName)
            return FieldError("name", invalidName);
        if (changes.Token is not null && string.IsNullOrWhiteSpace(changes.Token))
            return FieldError("token", AdminMessages.Blank);
        var found = await FindAsync(_store, relay, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var current = found.Value!;
        var updated = current with
        {
            Name = changes.Name?.Trim() ?? current.Name,
            TokenHash = changes.Token is null ? current.TokenHash : RelayToken.Hash(changes.Token),
            Description = changes.Description is null ? current.Description : changes.Description.Length == 0 ? null : changes.Description,
            Enabled = changes.Enabled ?? current.Enabled,
        };
        var stored = await _store.Relays.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
            return RegistryError.FromStore(stored.Error);
        if ((changes.Token is not null || updated.Enabled != current.Enabled)
            && await ProvisionAsync(current.Id, accounts => accounts.RelaySavedAsync(current.Id, changes.Token, updated.Enabled, cancellationToken)).ConfigureAwait(false) is { } refused)
        {
            // The broker keeps the old login: so does Cog.
            await _store.Relays.UpdateAsync(current, CancellationToken.None).ConfigureAwait(false);
            return refused;
        }
        var details = new Dictionary<string, string?> { ["id"] = current.Id, ["name"] = updated.Name };
        if (updated.Name != current.Name)
            details["previous_name"] = current.Name;
        if (updated.Description != current.Description)
            details["description"] = updated.Description;
        if (changes.Token is not null)
            details["token"] = "replaced";
        if (updated.Enabled != current.Enabled)
            details["enabled"] = updated.Enabled ? "true" : "false";
        var onlyEnabled = changes is { Name: null, Token: null, Description: null, Enabled: not null };
        var kind = onlyEnabled ? updated.Enabled ? AdminAuditKinds.RelayEnabled : AdminAuditKinds.RelayDisabled : AdminAuditKinds.RelayUpdated;
        await RecordAsync(actor, kind, updated, details, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(current.Id, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(_store, stored.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the external broker's relay logins (when there are any) of a change; its refusal or silence is an
    /// <see cref="RegistryErrorKind.Unavailable"/> error for the caller to report, with the broker's reason.</summary>
    async Task<RegistryError?> ProvisionAsync(string relayId, Func<IRelayAccounts, Task> change)
    {
        if (_accounts is null)
            return null;
        try
        {
            await change(_accounts).ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // Whatever the broker's client throws is the broker's refusal, reported to the caller.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new RegistryError(RegistryErrorKind.Unavailable, AdminMessages.RelayLoginRefused(relayId, e.Message));
        }
    }

    /// <summary>Enables a relay (it is selected again; it may connect again). NotFound.</summary>
    public Task<RegistryResult<RelayDetails>> EnableAsync(AdminActor actor, string relay, CancellationToken cancellationToken) =>
        UpdateAsync(actor, relay, new RelayChanges(Enabled: true), cancellationToken);

    /// <summary>Disables a relay: it is no longer selected, and can neither connect anew nor download packages. NotFound.</summary>
    public Task<RegistryResult<RelayDetails>> DisableAsync(AdminActor actor, string relay, CancellationToken cancellationToken) =>
        UpdateAsync(actor, relay, new RelayChanges(Enabled: false), cancellationToken);

    /// <summary>Deletes a relay with its group memberships. NotFound.</summary>
    /// <returns>The relay as it was.</returns>
    public async Task<RegistryResult<RelayDetails>> DeleteAsync(AdminActor actor, string relay, CancellationToken cancellationToken)
    {
        var found = await FindAsync(_store, relay, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var details = await DetailsAsync(_store, found.Value!, cancellationToken).ConfigureAwait(false);
        // The broker's login first: a refusal leaves the relay as it was.
        if (await ProvisionAsync(details.Relay.Id, accounts => accounts.RelayDeletedAsync(details.Relay.Id, cancellationToken)).ConfigureAwait(false) is { } refused)
            return refused;
        var deleted = await _store.Relays.DeleteAsync(details.Relay.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return RegistryError.FromStore(deleted.Error);
        await RecordAsync(actor, AdminAuditKinds.RelayDeleted, details.Relay, new Dictionary<string, string?>
        {
            ["id"] = details.Relay.Id,
            ["name"] = details.Relay.Name,
            ["groups"] = string.Join(", ", details.Groups.Select(static g => g.Name)),
        }, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(details.Relay.Id, cancellationToken).ConfigureAwait(false);
        return details;
    }

    /// <summary>A relay by name, else by id. NotFound.</summary>
    internal static async Task<RegistryResult<RelayRecord>> FindAsync(IStoreSession store, string relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var found = await store.Relays.FindByNameAsync(relay, cancellationToken).ConfigureAwait(false)
            ?? (Topics.IsValidRelayId(relay.ToLowerInvariant()) ? await store.Relays.GetAsync(relay.ToLowerInvariant(), cancellationToken).ConfigureAwait(false) : null);
        return found is null ? new RegistryError(RegistryErrorKind.NotFound, BundleRegistryErrors.RelayNotFound(relay)) : found;
    }

    internal static async Task<RelayDetails> DetailsAsync(IStoreSession store, RelayRecord relay, CancellationToken cancellationToken) =>
        new(relay, await store.Relays.ListGroupsOfRelayAsync(relay.Id, cancellationToken).ConfigureAwait(false));

    async Task ChangedAsync(string relayId, CancellationToken cancellationToken)
    {
        _changes.RelaysChanged();
        await _registry.PublishAssignmentsAsync([relayId], cancellationToken).ConfigureAwait(false);
    }

    Task RecordAsync(AdminActor actor, string kind, RelayRecord relay, Dictionary<string, string?> details, CancellationToken cancellationToken) =>
        _audit.RecordAsync(actor.Username, actor.Origin, kind, "relay:" + relay.Name, details, cancellationToken);

    static RegistryError FieldError(string field, string message) => new(RegistryErrorKind.Invalid, message) { Field = field };
}
