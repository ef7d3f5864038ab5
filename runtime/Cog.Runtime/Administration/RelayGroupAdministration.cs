using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Relay-group administration for the REST API and the chat commands (<c>relay-group-*</c>): create, rename,
/// delete, add and remove relays, assign and unassign bundles, list, info.</summary>
/// <remarks>
/// <para>Groups, relays and bundles are named by name or id. A change naming several relays or bundles is all or
/// nothing: every name is looked up first (<see cref="RegistryError.Missing"/> lists the unknown ones), and the change
/// is made in one transaction.</para>
/// <para>After each change: one audit record per change, <see cref="IDirectoryChanges.RelaysChanged"/>, and fresh
/// assignments published to every relay whose bundles may have changed (the <see cref="BundleRegistry"/>'s
/// publication). The built-in bundle cannot be assigned. Thread-safe.</para>
/// </remarks>
public sealed class RelayGroupAdministration
{
    readonly IStore _store;
    readonly BundleRegistry _registry;
    readonly AdminAudit _audit;
    readonly IDirectoryChanges _changes;
    readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public RelayGroupAdministration(IStore store, BundleRegistry registry, AdminAudit audit, IDirectoryChanges changes, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(timeProvider);
        (_store, _registry, _audit, _changes, _time) = (store, registry, audit, changes, timeProvider);
    }

    /// <summary>Every relay group with its relays and bundles, by name.</summary>
    public async Task<IReadOnlyList<RelayGroupDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var groups = await _store.Relays.ListGroupsAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RelayGroupDetails>(groups.Count);
        foreach (var group in groups)
            list.Add(await DetailsAsync(group, cancellationToken).ConfigureAwait(false));
        return list;
    }

    /// <summary>One relay group (by name or id). NotFound.</summary>
    public async Task<RegistryResult<RelayGroupDetails>> InfoAsync(string group, CancellationToken cancellationToken)
    {
        var found = await FindGroupAsync(_store, group, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        return await DetailsAsync(found.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a relay group, with relays (by name or id) as members. Invalid (field <c>name</c>): blank;
    /// NotFound: unknown relays; Duplicate: the name is taken.</summary>
    public async Task<RegistryResult<RelayGroupDetails>> CreateAsync(AdminActor actor, string name, string? description, IReadOnlyList<string>? relays,
        CancellationToken cancellationToken)
    {
        var groupName = (name ?? "").Trim();
        if (AdminChecks.NameError(groupName) is { } invalidName)
            return new RegistryError(RegistryErrorKind.Invalid, invalidName) { Field = "name" };
        var members = await FindRelaysAsync(relays ?? [], cancellationToken).ConfigureAwait(false);
        if (!members.IsSuccess)
            return members.Error;
        var group = new RelayGroup(StoreId.New(), groupName, description, _time.GetUtcNow());
        await using (var transaction = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            var created = await transaction.Relays.CreateGroupAsync(group, cancellationToken).ConfigureAwait(false);
            if (!created.IsSuccess)
                return RegistryError.FromStore(created.Error);
            group = created.Value!;
            foreach (var relay in members.Value!)
            {
                var added = await transaction.Relays.AddMemberAsync(group.Id, relay.Id, cancellationToken).ConfigureAwait(false);
                if (!added.IsSuccess)
                    return RegistryError.FromStore(added.Error);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        await RecordAsync(actor, AdminAuditKinds.RelayGroupCreated, group, new Dictionary<string, string?>
        {
            ["id"] = group.Id,
            ["name"] = group.Name,
            ["relays"] = string.Join(", ", members.Value!.Select(static r => r.Name)),
        }, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(members.Value!.Select(static r => r.Id), cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames a relay group and/or changes its description (<see langword="null"/>: unchanged; empty
    /// description: cleared). Invalid (field <c>name</c>); NotFound; Duplicate.</summary>
    public async Task<RegistryResult<RelayGroupDetails>> UpdateAsync(AdminActor actor, string group, string? name, string? description,
        CancellationToken cancellationToken)
    {
        if (name is not null && AdminChecks.NameError(name.Trim()) is { } invalidName)
            return new RegistryError(RegistryErrorKind.Invalid, invalidName) { Field = "name" };
        var found = await FindGroupAsync(_store, group, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var current = found.Value!;
        var updated = current with
        {
            Name = name?.Trim() ?? current.Name,
            Description = description is null ? current.Description : description.Length == 0 ? null : description,
        };
        var stored = await _store.Relays.UpdateGroupAsync(updated, cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
            return RegistryError.FromStore(stored.Error);
        var details = new Dictionary<string, string?> { ["id"] = current.Id, ["name"] = updated.Name };
        if (updated.Name != current.Name)
            details["previous_name"] = current.Name;
        if (updated.Description != current.Description)
            details["description"] = updated.Description;
        await RecordAsync(actor, AdminAuditKinds.RelayGroupUpdated, updated, details, cancellationToken).ConfigureAwait(false);
        _changes.RelaysChanged();
        return await DetailsAsync(stored.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames a relay group (<c>relay-group-rename</c>).</summary>
    public Task<RegistryResult<RelayGroupDetails>> RenameAsync(AdminActor actor, string group, string name, CancellationToken cancellationToken) =>
        UpdateAsync(actor, group, name, null, cancellationToken);

    /// <summary>Deletes a relay group with its memberships and assignments; its relays get their new assignments.
    /// NotFound.</summary>
    /// <returns>The group as it was.</returns>
    public async Task<RegistryResult<RelayGroupDetails>> DeleteAsync(AdminActor actor, string group, CancellationToken cancellationToken)
    {
        var found = await FindGroupAsync(_store, group, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var details = await DetailsAsync(found.Value!, cancellationToken).ConfigureAwait(false);
        var deleted = await _registry.DeleteRelayGroupAsync(details.Group.Name, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return deleted.Error;
        await RecordAsync(actor, AdminAuditKinds.RelayGroupDeleted, details.Group, new Dictionary<string, string?>
        {
            ["id"] = details.Group.Id,
            ["name"] = details.Group.Name,
            ["relays"] = string.Join(", ", details.Relays.Select(static r => r.Name)),
            ["bundles"] = string.Join(", ", details.Bundles.Select(static b => b.Name)),
        }, cancellationToken).ConfigureAwait(false);
        return details;
    }

    /// <summary>Adds relays (by name or id) to a group; members already there stay. NotFound (the group, or the
    /// relays listed in <see cref="RegistryError.Missing"/>).</summary>
    public Task<RegistryResult<RelayGroupDetails>> AddRelaysAsync(AdminActor actor, string group, IReadOnlyList<string> relays, CancellationToken cancellationToken) =>
        ChangeRelaysAsync(actor, group, relays, add: true, cancellationToken);

    /// <summary>Removes relays (by name or id) from a group. NotFound (the group, or the relays in
    /// <see cref="RegistryError.Missing"/>).</summary>
    public Task<RegistryResult<RelayGroupDetails>> RemoveRelaysAsync(AdminActor actor, string group, IReadOnlyList<string> relays, CancellationToken cancellationToken) =>
        ChangeRelaysAsync(actor, group, relays, add: false, cancellationToken);

    /// <summary>Assigns bundles (by name or id) to a group: its relays serve their enabled versions. NotFound (the
    /// group, or the bundles in <see cref="RegistryError.Missing"/>); Protected for the built-in bundle.</summary>
    public Task<RegistryResult<RelayGroupDetails>> AssignBundlesAsync(AdminActor actor, string group, IReadOnlyList<string> bundles, CancellationToken cancellationToken) =>
        ChangeBundlesAsync(actor, group, bundles, assign: true, cancellationToken);

    /// <summary>Removes bundles (by name or id) from a group. NotFound (the group, or the bundles in
    /// <see cref="RegistryError.Missing"/>).</summary>
    public Task<RegistryResult<RelayGroupDetails>> UnassignBundlesAsync(AdminActor actor, string group, IReadOnlyList<string> bundles, CancellationToken cancellationToken) =>
        ChangeBundlesAsync(actor, group, bundles, assign: false, cancellationToken);

    async Task<RegistryResult<RelayGroupDetails>> ChangeRelaysAsync(AdminActor actor, string group, IReadOnlyList<string> relays, bool add,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relays);
        var found = await FindGroupAsync(_store, group, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var members = await FindRelaysAsync(relays, cancellationToken).ConfigureAwait(false);
        if (!members.IsSuccess)
            return members.Error;
        var target = found.Value!;
        await using (var transaction = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var relay in members.Value!)
            {
                var changed = add
                    ? await transaction.Relays.AddMemberAsync(target.Id, relay.Id, cancellationToken).ConfigureAwait(false)
                    : await transaction.Relays.RemoveMemberAsync(target.Id, relay.Id, cancellationToken).ConfigureAwait(false);
                if (!changed.IsSuccess)
                    return RegistryError.FromStore(changed.Error);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var relay in members.Value!)
        {
            await RecordAsync(actor, add ? AdminAuditKinds.RelayGroupRelayAdded : AdminAuditKinds.RelayGroupRelayRemoved, target,
                new Dictionary<string, string?> { ["relay_group"] = target.Name, ["relay"] = relay.Name, ["relay_id"] = relay.Id }, cancellationToken).ConfigureAwait(false);
        }
        await ChangedAsync(members.Value!.Select(static r => r.Id), cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(target, cancellationToken).ConfigureAwait(false);
    }

    async Task<RegistryResult<RelayGroupDetails>> ChangeBundlesAsync(AdminActor actor, string group, IReadOnlyList<string> bundles, bool assign,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        var found = await FindGroupAsync(_store, group, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var target = found.Value!;
        var resolved = new List<Bundle>(bundles.Count);
        var missing = new List<string>();
        foreach (var name in bundles)
        {
            var bundle = await _store.Bundles.FindByNameAsync(name, cancellationToken).ConfigureAwait(false)
                ?? await _store.Bundles.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (bundle is null)
                missing.Add(name);
            else if (assign && bundle.Name == Bundle.BuiltInName)
                return new RegistryError(RegistryErrorKind.Protected, StoreErrors.BundleProtected(bundle.Name));
            else
                resolved.Add(bundle);
        }
        if (missing.Count > 0)
            return new RegistryError(RegistryErrorKind.NotFound, AdminMessages.BundlesNotFound(missing)) { Missing = missing };
        await using (var transaction = await _store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var bundle in resolved)
            {
                var changed = assign
                    ? await transaction.Relays.AssignBundleAsync(target.Id, bundle.Id, cancellationToken).ConfigureAwait(false)
                    : await transaction.Relays.UnassignBundleAsync(target.Id, bundle.Id, cancellationToken).ConfigureAwait(false);
                if (!changed.IsSuccess)
                    return RegistryError.FromStore(changed.Error);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var bundle in resolved)
        {
            await RecordAsync(actor, assign ? AdminAuditKinds.RelayGroupBundleAssigned : AdminAuditKinds.RelayGroupBundleUnassigned, target,
                new Dictionary<string, string?> { ["relay_group"] = target.Name, ["bundle"] = bundle.Name }, cancellationToken).ConfigureAwait(false);
        }
        var details = await DetailsAsync(target, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(details.Relays.Select(static r => r.Id), cancellationToken).ConfigureAwait(false);
        return details;
    }

    /// <summary>A relay group by name, else by id. NotFound.</summary>
    internal static async Task<RegistryResult<RelayGroup>> FindGroupAsync(IStoreSession store, string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var found = await store.Relays.FindGroupByNameAsync(group, cancellationToken).ConfigureAwait(false)
            ?? await store.Relays.GetGroupAsync(group, cancellationToken).ConfigureAwait(false);
        return found is null ? new RegistryError(RegistryErrorKind.NotFound, BundleRegistryErrors.RelayGroupNotFound(group)) : found;
    }

    /// <summary>Every relay named (by name or id), or NotFound listing the unknown ones.</summary>
    async Task<RegistryResult<IReadOnlyList<RelayRecord>>> FindRelaysAsync(IReadOnlyList<string> relays, CancellationToken cancellationToken)
    {
        var found = new List<RelayRecord>(relays.Count);
        var missing = new List<string>();
        foreach (var name in relays)
        {
            var relay = await RelayAdministration.FindAsync(_store, name, cancellationToken).ConfigureAwait(false);
            if (relay.IsSuccess)
                found.Add(relay.Value!);
            else
                missing.Add(name);
        }
        if (missing.Count > 0)
            return new RegistryError(RegistryErrorKind.NotFound, AdminMessages.RelaysNotFound(missing)) { Missing = missing };
        return found;
    }

    async Task<RelayGroupDetails> DetailsAsync(RelayGroup group, CancellationToken cancellationToken)
    {
        var relays = await _store.Relays.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
        var bundles = new List<Bundle>();
        foreach (var bundleId in await _store.Relays.ListGroupBundlesAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            if (await _store.Bundles.GetAsync(bundleId, cancellationToken).ConfigureAwait(false) is { } bundle)
                bundles.Add(bundle);
        }
        bundles.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new RelayGroupDetails(group, relays, bundles);
    }

    async Task ChangedAsync(IEnumerable<string> relayIds, CancellationToken cancellationToken)
    {
        _changes.RelaysChanged();
        await _registry.PublishAssignmentsAsync(relayIds, cancellationToken).ConfigureAwait(false);
    }

    Task RecordAsync(AdminActor actor, string kind, RelayGroup group, Dictionary<string, string?> details, CancellationToken cancellationToken) =>
        _audit.RecordAsync(actor.Username, actor.Origin, kind, "relay_group:" + group.Name, details, cancellationToken);
}
