using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Roles and their permissions: what the REST API and the <c>role-*</c> and
/// <c>permission-grant</c>/<c>permission-revoke</c> chat commands do. Every change is recorded
/// (<see cref="AdminAudit"/>); grant changes are followed by <see cref="IDirectoryChanges.GrantsChanged"/>.</summary>
/// <remarks>
/// <para>Roles are addressed by id or name, permissions by full name (<c>bundle:name</c>). Protections (as in
/// Cog 1.0): <c>cog-admin</c> cannot be renamed or deleted and no permission can be revoked from it. A role granted to a
/// group cannot be deleted (restrict semantics).</para>
/// <para>Permission changes are all-or-nothing, like <see cref="GroupAdministration.ChangeRolesAsync"/>.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class RoleAdministration(IStore store, AdminAudit audit, IDirectoryChanges changes)
{
    readonly AdminRecorder _recorder = new(audit, changes);

    /// <summary>Every role with permissions and groups, by name.</summary>
    public async Task<IReadOnlyList<RoleDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var holders = await HoldersAsync(cancellationToken).ConfigureAwait(false);
        var roles = await store.Roles.ListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<RoleDetails>(roles.Count);
        foreach (var role in roles)
        {
            result.Add(new RoleDetails(role, await store.Roles.ListPermissionsAsync(role.Id, cancellationToken).ConfigureAwait(false),
                holders.TryGetValue(role.Id, out var groups) ? groups : []));
        }
        return result;
    }

    /// <summary>The role with this id or name, with permissions and groups. NotFound.</summary>
    public async Task<AdminResult<RoleDetails>> GetAsync(string idOrName, CancellationToken cancellationToken)
    {
        var role = await FindAsync(store, idOrName, cancellationToken).ConfigureAwait(false);
        return role is null ? AdminError.NotFound(IdentityMessages.RoleNotFound) : await DetailsAsync(role, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a role. Invalid (name blank, malformed or taken).</summary>
    public async Task<AdminResult<RoleDetails>> CreateAsync(AdminActor actor, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await NameErrorAsync(name, null, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid;
        var role = new Role(StoreId.New(), name!);
        var created = await store.Roles.CreateAsync(role, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
            return AdminError.Invalid("name", IdentityMessages.Taken);
        await _recorder.RecordAsync(actor, [new AdminChange("role.created", Subject(role), Facts(role))], null, cancellationToken).ConfigureAwait(false);
        return new RoleDetails(role, [], []);
    }

    /// <summary>Renames a role. NotFound, Invalid; Refused for <c>cog-admin</c>.</summary>
    public async Task<AdminResult<RoleDetails>> RenameAsync(AdminActor actor, string idOrName, string? newName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var role = await FindAsync(store, idOrName, cancellationToken).ConfigureAwait(false);
        if (role is null)
            return AdminError.NotFound(IdentityMessages.RoleNotFound);
        if (newName == role.Name)
            return await DetailsAsync(role, cancellationToken).ConfigureAwait(false);
        if (role.Name == Role.AdminName)
            return AdminError.Refused(IdentityMessages.AdminRoleRenamed);
        if (await NameErrorAsync(newName, role.Id, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid;
        var renamed = await store.Roles.RenameAsync(role.Id, newName!, cancellationToken).ConfigureAwait(false);
        if (!renamed.IsSuccess)
            return renamed.Error.Kind == StoreErrorKind.Duplicate ? AdminError.Invalid("name", IdentityMessages.Taken) : AdminChecks.FromStore(renamed.Error);
        var facts = Facts(renamed.Value!);
        facts["previous_name"] = role.Name;
        await _recorder.RecordAsync(actor, [new AdminChange("role.renamed", Subject(renamed.Value!), facts)], null, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(renamed.Value!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a role and its permission grants. NotFound; Refused for <c>cog-admin</c> and while granted to a
    /// group.</summary>
    public async Task<AdminResult<Role>> DeleteAsync(AdminActor actor, string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var role = await FindAsync(store, idOrName, cancellationToken).ConfigureAwait(false);
        if (role is null)
            return AdminError.NotFound(IdentityMessages.RoleNotFound);
        if (role.Name == Role.AdminName)
            return AdminError.Refused(IdentityMessages.AdminRoleDeleted);
        var deleted = await store.Roles.DeleteAsync(role.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return AdminChecks.FromStore(deleted.Error);
        await _recorder.GrantsAsync(actor, new AdminChange("role.deleted", Subject(role), Facts(role)), cancellationToken).ConfigureAwait(false);
        return role;
    }

    /// <summary>Grants the <c>cog-admin</c> role, as the system, every <c>operable</c> permission it lacks: a newer built-in
    /// bundle can declare permissions (such as <c>operable:manage_site_aliases</c>) that an installation bootstrapped before
    /// it never granted. The server calls it at every start, after installing the built-in bundle. Each grant is audited
    /// (<c>role.permission_granted</c>); <see langword="null"/> when there is no <c>cog-admin</c> role (not bootstrapped).</summary>
    public async Task<AdminResult<RoleDetails>?> GrantOperablePermissionsToAdminAsync(CancellationToken cancellationToken)
    {
        if (await store.Roles.FindByNameAsync(Role.AdminName, cancellationToken).ConfigureAwait(false) is null)
            return null;
        var operable = await store.Permissions.ListAsync(Bundle.BuiltInName, cancellationToken).ConfigureAwait(false);
        return await ChangePermissionsAsync(AdminActor.System, Role.AdminName, [.. operable.Select(static p => p.FullName)], null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Grants and revokes permissions by full name, all or nothing. NotFound (role); UnknownNames
    /// (permissions); Refused (a permission revoked from <c>cog-admin</c>).</summary>
    public async Task<AdminResult<RoleDetails>> ChangePermissionsAsync(AdminActor actor, string idOrName, IReadOnlyList<string>? grant,
        IReadOnlyList<string>? revoke, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (toGrant, toRevoke) = (AdminChecks.Distinct(grant), AdminChecks.Distinct(revoke));
        var records = new List<AdminChange>();
        Role role;
        var transaction = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var found = await FindAsync(transaction, idOrName, cancellationToken).ConfigureAwait(false);
            if (found is null)
                return AdminError.NotFound(IdentityMessages.RoleNotFound);
            role = found;
            var (permissions, missing) = await AdminChecks.ResolveNamesAsync(toGrant.Concat(toRevoke),
                name => PermissionAdministration.FindByFullNameAsync(transaction, name, cancellationToken)).ConfigureAwait(false);
            if (missing.Count > 0)
                return AdminError.UnknownNames("permissions", missing);

            var granted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var permission in await transaction.Roles.ListPermissionsAsync(role.Id, cancellationToken).ConfigureAwait(false))
                granted.Add(permission.Id);
            foreach (var name in toGrant)
            {
                var permission = permissions[name];
                if (!granted.Add(permission.Id))
                    continue;
                var done = await transaction.Roles.GrantPermissionAsync(role.Id, permission.Id, cancellationToken).ConfigureAwait(false);
                if (!done.IsSuccess)
                    return AdminChecks.FromStore(done.Error);
                records.Add(new AdminChange("role.permission_granted", Subject(role), PermissionFacts(role, permission)));
            }
            foreach (var name in toRevoke)
            {
                var permission = permissions[name];
                if (!granted.Contains(permission.Id))
                    continue;
                if (role.Name == Role.AdminName)
                    return AdminError.Refused(IdentityMessages.AdminRolePermissionRevoked(permission.FullName));
                granted.Remove(permission.Id);
                var done = await transaction.Roles.RevokePermissionAsync(role.Id, permission.Id, cancellationToken).ConfigureAwait(false);
                if (!done.IsSuccess)
                    return AdminChecks.FromStore(done.Error);
                records.Add(new AdminChange("role.permission_revoked", Subject(role), PermissionFacts(role, permission)));
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (records.Count > 0)
            await _recorder.RecordAsync(actor, records, _recorder.Changes.GrantsChanged, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(role, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<Role?> FindAsync(IStoreSession session, string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        return await session.Roles.GetAsync(idOrName, cancellationToken).ConfigureAwait(false)
            ?? await session.Roles.FindByNameAsync(idOrName, cancellationToken).ConfigureAwait(false);
    }

    async Task<RoleDetails> DetailsAsync(Role role, CancellationToken cancellationToken)
    {
        var holders = await HoldersAsync(cancellationToken).ConfigureAwait(false);
        return new RoleDetails(role, await store.Roles.ListPermissionsAsync(role.Id, cancellationToken).ConfigureAwait(false),
            holders.TryGetValue(role.Id, out var groups) ? groups : []);
    }

    /// <summary>Role id → the groups holding it, by group name (the store has no reverse query; groups are few).</summary>
    async Task<Dictionary<string, List<Group>>> HoldersAsync(CancellationToken cancellationToken)
    {
        var holders = new Dictionary<string, List<Group>>(StringComparer.Ordinal);
        foreach (var group in await store.Groups.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var role in await store.Groups.ListRolesAsync(group.Id, cancellationToken).ConfigureAwait(false))
            {
                if (!holders.TryGetValue(role.Id, out var list))
                    holders[role.Id] = list = [];
                list.Add(group);
            }
        }
        return holders;
    }

    async Task<AdminError?> NameErrorAsync(string? name, string? selfId, CancellationToken cancellationToken)
    {
        if (AdminChecks.NameError(name) is { } error)
            return AdminError.Invalid("name", error);
        return await store.Roles.FindByNameAsync(name!, cancellationToken).ConfigureAwait(false) is { } other && other.Id != selfId
            ? AdminError.Invalid("name", IdentityMessages.Taken)
            : null;
    }

    static string Subject(Role role) => "role:" + role.Name;

    static Dictionary<string, string?> Facts(Role role) => new(StringComparer.Ordinal) { ["id"] = role.Id, ["name"] = role.Name };

    static Dictionary<string, string?> PermissionFacts(Role role, Permission permission) =>
        new(StringComparer.Ordinal) { ["role"] = role.Name, ["permission"] = permission.FullName };
}
