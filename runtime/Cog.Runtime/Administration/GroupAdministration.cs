using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Groups, their members and role grants: what the REST API and the <c>group-*</c> and
/// <c>role-grant</c>/<c>role-revoke</c> chat commands do. Every change is recorded (<see cref="AdminAudit"/>) and
/// followed by <see cref="IDirectoryChanges.GrantsChanged"/>.</summary>
/// <remarks>
/// <para>Groups are addressed by id or name. Protections: <c>cog-admin</c> cannot be renamed or
/// deleted, keeps at least one member, and keeps the <c>cog-admin</c> role. A group with members cannot be deleted
/// (restrict, never cascade).</para>
/// <para>Membership and role changes take lists of names and are all-or-nothing: if a name does not exist
/// (UnknownNames) or one change is refused, nothing changes.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class GroupAdministration(IStore store, AdminAudit audit, IDirectoryChanges changes)
{
    readonly AdminRecorder _recorder = new(audit, changes);

    /// <summary>Every group with members and roles, by name.</summary>
    public async Task<IReadOnlyList<GroupDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var groups = await store.Groups.ListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<GroupDetails>(groups.Count);
        foreach (var group in groups)
            result.Add(await DetailsAsync(store, group, cancellationToken).ConfigureAwait(false));
        return result;
    }

    /// <summary>The group with this id or name, with members and roles. NotFound.</summary>
    public async Task<AdminResult<GroupDetails>> GetAsync(string idOrName, CancellationToken cancellationToken)
    {
        var group = await FindAsync(store, idOrName, cancellationToken).ConfigureAwait(false);
        return group is null ? AdminError.NotFound(IdentityMessages.GroupNotFound) : await DetailsAsync(store, group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a group. Invalid (name blank, malformed or taken).</summary>
    public async Task<AdminResult<GroupDetails>> CreateAsync(AdminActor actor, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await NameErrorAsync(name, null, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid;
        var group = new Group(StoreId.New(), name!);
        var created = await store.Groups.CreateAsync(group, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
            return AdminError.Invalid("name", IdentityMessages.Taken);
        await _recorder.RecordAsync(actor, [new AdminChange("group.created", Subject(group), Facts(group))], null, cancellationToken).ConfigureAwait(false);
        return new GroupDetails(group, [], []);
    }

    /// <summary>Renames a group. NotFound, Invalid; Refused for <c>cog-admin</c>.</summary>
    public async Task<AdminResult<GroupDetails>> RenameAsync(AdminActor actor, string idOrName, string? newName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var group = await FindAsync(store, idOrName, cancellationToken).ConfigureAwait(false);
        if (group is null)
            return AdminError.NotFound(IdentityMessages.GroupNotFound);
        if (newName == group.Name)
            return await DetailsAsync(store, group, cancellationToken).ConfigureAwait(false);
        if (group.Name == Group.AdminName)
            return AdminError.Refused(IdentityMessages.AdminGroupRenamed);
        if (await NameErrorAsync(newName, group.Id, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid;
        var renamed = await store.Groups.RenameAsync(group.Id, newName!, cancellationToken).ConfigureAwait(false);
        if (!renamed.IsSuccess)
            return renamed.Error.Kind == StoreErrorKind.Duplicate ? AdminError.Invalid("name", IdentityMessages.Taken) : AdminChecks.FromStore(renamed.Error);
        var facts = Facts(renamed.Value!);
        facts["previous_name"] = group.Name;
        await _recorder.RecordAsync(actor, [new AdminChange("group.renamed", Subject(renamed.Value!), facts)], null, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(store, renamed.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a group and its role grants. NotFound; Refused for <c>cog-admin</c> and while it has members.</summary>
    public async Task<AdminResult<Group>> DeleteAsync(AdminActor actor, string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var group = await FindAsync(store, idOrName, cancellationToken).ConfigureAwait(false);
        if (group is null)
            return AdminError.NotFound(IdentityMessages.GroupNotFound);
        if (group.Name == Group.AdminName)
            return AdminError.Refused(IdentityMessages.AdminGroupDeleted);
        var deleted = await store.Groups.DeleteAsync(group.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return AdminChecks.FromStore(deleted.Error);
        await _recorder.GrantsAsync(actor, new AdminChange("group.deleted", Subject(group), Facts(group)), cancellationToken).ConfigureAwait(false);
        return group;
    }

    /// <summary>Adds and removes members by username, all or nothing. NotFound (group); UnknownNames (users); Refused
    /// (the last member of <c>cog-admin</c>).</summary>
    public async Task<AdminResult<GroupDetails>> ChangeMembersAsync(AdminActor actor, string idOrName, IReadOnlyList<string>? add,
        IReadOnlyList<string>? remove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (toAdd, toRemove) = (AdminChecks.Distinct(add), AdminChecks.Distinct(remove));
        var records = new List<AdminChange>();
        GroupDetails details;
        var transaction = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var group = await FindAsync(transaction, idOrName, cancellationToken).ConfigureAwait(false);
            if (group is null)
                return AdminError.NotFound(IdentityMessages.GroupNotFound);
            var (users, missing) = await AdminChecks.ResolveNamesAsync(toAdd.Concat(toRemove),
                name => transaction.Users.FindByUsernameAsync(name, cancellationToken)).ConfigureAwait(false);
            if (missing.Count > 0)
                return AdminError.UnknownNames("users", missing);

            var members = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in await transaction.Groups.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
                members.Add(member.Id);
            foreach (var name in toAdd)
            {
                var user = users[name];
                if (!members.Add(user.Id))
                    continue;
                var added = await transaction.Groups.AddMemberAsync(group.Id, user.Id, cancellationToken).ConfigureAwait(false);
                if (!added.IsSuccess)
                    return AdminChecks.FromStore(added.Error);
                records.Add(new AdminChange("group.member_added", Subject(group), Member(group, user)));
            }
            foreach (var name in toRemove)
            {
                var user = users[name];
                if (!members.Remove(user.Id))
                    continue;
                var removed = await transaction.Groups.RemoveMemberAsync(group.Id, user.Id, cancellationToken).ConfigureAwait(false);
                if (!removed.IsSuccess)
                    return AdminChecks.FromStore(removed.Error);
                records.Add(new AdminChange("group.member_removed", Subject(group), Member(group, user)));
            }
            details = await DetailsAsync(transaction, group, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (records.Count > 0)
            await _recorder.RecordAsync(actor, records, _recorder.Changes.GrantsChanged, cancellationToken).ConfigureAwait(false);
        return details;
    }

    /// <summary>Grants and revokes roles by name, all or nothing. NotFound (group); UnknownNames (roles); Refused (the
    /// <c>cog-admin</c> role revoked from the <c>cog-admin</c> group).</summary>
    public async Task<AdminResult<GroupDetails>> ChangeRolesAsync(AdminActor actor, string idOrName, IReadOnlyList<string>? grant,
        IReadOnlyList<string>? revoke, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (toGrant, toRevoke) = (AdminChecks.Distinct(grant), AdminChecks.Distinct(revoke));
        var records = new List<AdminChange>();
        GroupDetails details;
        var transaction = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var group = await FindAsync(transaction, idOrName, cancellationToken).ConfigureAwait(false);
            if (group is null)
                return AdminError.NotFound(IdentityMessages.GroupNotFound);
            var (roles, missing) = await AdminChecks.ResolveNamesAsync(toGrant.Concat(toRevoke),
                name => transaction.Roles.FindByNameAsync(name, cancellationToken)).ConfigureAwait(false);
            if (missing.Count > 0)
                return AdminError.UnknownNames("roles", missing);
            if (group.Name == Group.AdminName && toRevoke.Contains(Role.AdminName, StringComparer.Ordinal))
                return AdminError.Refused(IdentityMessages.AdminGroupRoleRevoked);

            var granted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var role in await transaction.Groups.ListRolesAsync(group.Id, cancellationToken).ConfigureAwait(false))
                granted.Add(role.Id);
            foreach (var name in toGrant)
            {
                var role = roles[name];
                if (!granted.Add(role.Id))
                    continue;
                var done = await transaction.Groups.GrantRoleAsync(group.Id, role.Id, cancellationToken).ConfigureAwait(false);
                if (!done.IsSuccess)
                    return AdminChecks.FromStore(done.Error);
                records.Add(new AdminChange("group.role_granted", Subject(group), RoleFacts(group, role)));
            }
            foreach (var name in toRevoke)
            {
                var role = roles[name];
                if (!granted.Remove(role.Id))
                    continue;
                var done = await transaction.Groups.RevokeRoleAsync(group.Id, role.Id, cancellationToken).ConfigureAwait(false);
                if (!done.IsSuccess)
                    return AdminChecks.FromStore(done.Error);
                records.Add(new AdminChange("group.role_revoked", Subject(group), RoleFacts(group, role)));
            }
            details = await DetailsAsync(transaction, group, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (records.Count > 0)
            await _recorder.RecordAsync(actor, records, _recorder.Changes.GrantsChanged, cancellationToken).ConfigureAwait(false);
        return details;
    }

    internal static async Task<Group?> FindAsync(IStoreSession session, string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        return await session.Groups.GetAsync(idOrName, cancellationToken).ConfigureAwait(false)
            ?? await session.Groups.FindByNameAsync(idOrName, cancellationToken).ConfigureAwait(false);
    }

    static async Task<GroupDetails> DetailsAsync(IStoreSession session, Group group, CancellationToken cancellationToken) => new(
        group,
        await session.Groups.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false),
        await session.Groups.ListRolesAsync(group.Id, cancellationToken).ConfigureAwait(false));

    async Task<AdminError?> NameErrorAsync(string? name, string? selfId, CancellationToken cancellationToken)
    {
        if (AdminChecks.NameError(name) is { } error)
            return AdminError.Invalid("name", error);
        return await store.Groups.FindByNameAsync(name!, cancellationToken).ConfigureAwait(false) is { } other && other.Id != selfId
            ? AdminError.Invalid("name", IdentityMessages.Taken)
            : null;
    }

    static string Subject(Group group) => "group:" + group.Name;

    static Dictionary<string, string?> Facts(Group group) => new(StringComparer.Ordinal) { ["id"] = group.Id, ["name"] = group.Name };

    static Dictionary<string, string?> Member(Group group, User user) =>
        new(StringComparer.Ordinal) { ["group"] = group.Name, ["user"] = user.Username };

    static Dictionary<string, string?> RoleFacts(Group group, Role role) =>
        new(StringComparer.Ordinal) { ["group"] = group.Name, ["role"] = role.Name };
}
